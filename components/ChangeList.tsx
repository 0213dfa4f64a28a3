/**
 * An app's script changes in the range, newest first (docs/CHANGES.md): its own files — marked
 * on the app's charts — and the shared libraries its type loads, listed here only, labelled with
 * the library, so a week of library commits does not drown the chart.
 */
import { DataTable } from "./DataTable";
import { formatInt, formatPbTime, truncate } from "@/lib/format";
import type { AppChange } from "@/lib/data";

const LIST_ROWS = 10;

export function ChangeList({ nsapp, changes, failed }: { nsapp: string; changes: readonly AppChange[]; failed: boolean }) {
  if (failed) return <p className="muted">Script changes could not be read.</p>;
  const own = changes.filter((c) => c.kind === "app").length;
  return (
    <div id="changes" data-testid="changes">
      <h3>Script changes</h3>
      <p className="muted">
        {formatInt(own)} to {nsapp}&apos;s own files (those that run at install time are marked on the charts) and {formatInt(changes.length - own)} to the shared libraries its
        scripts load, in this range. <a href={`/api/v1/apps/${encodeURIComponent(nsapp)}/changes`}>All as JSON</a>.
      </p>
      <DataTable
        testId="app-changes"
        rows={changes.slice(0, LIST_ROWS)}
        rowKey={(c) => c.sha}
        columns={[
          { key: "change", label: "Change", cell: (c) => ({ kind: "link", value: truncate(c.message || c.sha.slice(0, 7), 80), href: c.url, note: c.sha.slice(0, 7) }) },
          { key: "when", label: "Reached users", priority: 2, cell: (c) => ({ kind: "text", value: formatPbTime(c.pushed || c.committed) }) },
          {
            key: "what",
            label: "What",
            priority: 2,
            cell: (c) =>
              c.kind === "app"
                ? { kind: "text", value: c.paths.filter((p) => p.includes(nsapp)).join(", ") || "its files" }
                : { kind: "text", value: `shared: ${c.paths.filter((p) => p.endsWith(".func") || p.endsWith("create_lxc.sh")).join(", ")}`, muted: true },
          },
        ]}
        empty="No change to its scripts or to the libraries they load in this range."
      />
    </div>
  );
}
