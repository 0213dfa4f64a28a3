import Link from "next/link";
export default function NotFound() {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p>
        There is no page here.{" "}
        <Link prefetch={false} href="/">
          Back to the overview
        </Link>
        .
      </p>
    </section>
  );
}
