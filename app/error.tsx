"use client";
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="panel error-box" role="alert">
      <h2>Something went wrong</h2>
      <p>The page could not be built. The error was logged on the server.</p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  );
}
