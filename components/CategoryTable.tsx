/**
 * Failures by category (the scripts' exit-code categories, lib/insights/find-rates.ts): the
 * overview's and an app page's, one set of columns; the share as a bar or as a percentage.
 */
import { DataTable } from "@/components/DataTable";
import type { CategoryFigures } from "@/lib/insights/find-rates";

export function CategoryTable({ testId, rows, share }: { testId: string; rows: CategoryFigures[]; share: "bar" | "percent" }) {
  const max = rows[0]?.share ?? 0;
  return (
    <DataTable
      testId={testId}
      rows={rows}
      rowKey={(c) => c.category}
      columns={[
        {
          key: "category",
          label: "Category",
          cell: (c) => ({ kind: "text", value: c.label, note: c.outside_script_control ? "(outside the script's control)" : undefined }),
        },
        { key: "failed", label: "Failures", cell: (c) => ({ kind: "integer", value: c.failed }) },
        { key: "share", label: "Share", cell: (c) => (share === "bar" ? { kind: "share", value: c.share, max } : { kind: "percent", value: c.share }) },
      ]}
      empty="No failures in this range."
    />
  );
}
