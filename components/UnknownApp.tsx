/**
 * The page for an app nobody installed and the catalogue does not know: a 404 (the HTTP server
 * sets it from noteNotFound) with a search and the nearest known names.
 */
import Link from "next/link";
import { APPS } from "@/lib/reference/apps";
import { noteNotFound } from "@/lib/request-context";

/** Edit distance, capped: names further than `max` apart are not "near". */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function nearApps(name: string, limit = 6): string[] {
  const q = name.toLowerCase().slice(0, 64);
  const names = [...new Set(APPS.map((a) => a.nsapp))];
  const scored = names
    .map((n) => ({ n, d: n.includes(q) || (q.length >= 3 && q.includes(n)) ? 0 : distance(q, n, 3) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, limit).map((x) => x.n);
}

export function UnknownApp({ nsapp }: { nsapp: string }) {
  noteNotFound();
  const near = nearApps(nsapp);
  return (
    <main>
      <h1>No app called “{nsapp.slice(0, 64)}”</h1>
      <p className="lede">It is not in the script catalogue and no install of it was ever reported.</p>
      {near.length > 0 && (
        <section className="panel">
          <h2>Did you mean</h2>
          <ul className="near">
            {near.map((n) => (
              <li key={n}>
                <Link prefetch={false} href={`/apps/${encodeURIComponent(n)}`}>
                  {n}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="get" action="/apps" className="filters panel" role="search" aria-label="Search apps">
        <label>
          Search apps <input type="search" name="q" defaultValue={nsapp.slice(0, 64)} maxLength={64} />
        </label>
        <input type="hidden" name="min" value="0" />
        <button type="submit">Search</button>
      </form>
    </main>
  );
}
