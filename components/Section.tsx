/**
 * A page is a composition of sections; each loads its own data inside its own <Suspense>, so a
 * slow query holds only its section (client navigations show the skeleton meanwhile), and
 * shows its own error or "data as of …" notice. Data arrives as a DataResult from lib/data/index.ts.
 */
import { Suspense, type ReactNode } from "react";
import type { DataResult } from "@/lib/data/cache";
import { formatTime } from "@/lib/format";

/** A titled panel whose body loads on its own; `skeleton` reserves the body's size meanwhile. */
export function Section(props: { id: string; title: ReactNode; children: ReactNode; skeleton?: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={`panel ${props.className ?? ""}`} aria-labelledby={props.id} data-section={props.id}>
      <div className="section-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.actions}
      </div>
      <Suspense fallback={props.skeleton ?? <Skeleton rows={6} />}>{props.children}</Suspense>
    </section>
  );
}

/** Grey bars of about the size of what is loading (rows of a table, or a chart's height). */
export function Skeleton({ rows = 6, height }: { rows?: number; height?: number }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" style={height ? { height } : undefined} data-testid="skeleton">
      {height
        ? null
        : Array.from({ length: rows }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholder rows, never reordered
            <span key={i} className="skeleton-row" />
          ))}
    </div>
  );
}

/** What a section shows when its data could not be loaded (the page then answers 503). */
export function DataProblem({ message }: { message: string }) {
  return (
    <div className="error-box" role="alert">
      <p>
        <strong>These figures cannot be shown right now.</strong> {message}
      </p>
      <p>
        {/* biome-ignore lint/a11y/useValidAnchor: an empty href is this very URL: the retry is a reload */}
        <a href="">Retry</a> — the page also recovers by itself once the source answers again.
      </p>
    </div>
  );
}

/** Shown above figures that are the last good copy because the source is failing. */
export function StaleNotice({ fetchedAt, problem }: { fetchedAt: number; problem: string }) {
  return (
    <p className="notes stale" role="status" data-testid="stale-notice">
      Data as of {formatTime(fetchedAt)} — {problem.replace(/\.$/, "")}; retrying.
    </p>
  );
}

/** Renders `children(value)` for loaded data (with a stale notice when needed), or the problem. */
export function Loaded<T>({ result, children }: { result: DataResult<T>; children: (value: T) => ReactNode }) {
  if (!result.ok) return <DataProblem message={result.message} />;
  return (
    <>
      {result.problem && <StaleNotice fetchedAt={result.fetchedAt} problem={result.problem} />}
      {children(result.value)}
    </>
  );
}
