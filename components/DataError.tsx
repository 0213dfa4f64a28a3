export function DataError({ message }: { message: string }) {
  return (
    <section className="panel error-box" role="alert">
      <h2>The statistics cannot be shown right now</h2>
      <p>{message}</p>
    </section>
  );
}
