/**
 * The one table's columns as data (rendered by components/DataTable.tsx): a label, a priority
 * for phones and a typed cell per row, so report modules in lib/reports declare a table's
 * columns beside its API fields without importing React.
 */

export type Cell =
  /** `nowrap`: the value and the note each stay on one line (dates, durations, rates: "2026-11-17", "4 min 30 s"); they may still take a line each. */
  | { kind: "text"; value: string | null; muted?: boolean; note?: string; nowrap?: boolean }
  | { kind: "link"; value: string; href: string; note?: string }
  | { kind: "integer"; value: number | null; of?: number }
  | { kind: "percent"; value: number | null }
  | { kind: "rate"; value: number | null; low?: number | null; high?: number | null }
  | { kind: "share"; value: number; max: number; color?: string }
  /** An exit code with its explanation beside it (visible on touch screens too); href null: no link. */
  | { kind: "code"; code: number; text?: string; href?: string | null }
  | { kind: "spark"; values: number[]; label: string }
  | { kind: "change"; relative?: number | null; hadPrevious?: boolean; points?: number | null; flag?: string };

export interface Column<R> {
  /** Stable id, and the sort key when `sortable`. */
  key: string;
  label: string;
  cell: (row: R) => Cell;
  /** 1: always shown; 2: below 640 px in the row's details; 3: below 900 px in the details. */
  priority?: 1 | 2 | 3;
  sortable?: boolean;
  /** Header alignment; by default that of the first row's cell (text left, numbers right). */
  align?: "left" | "right";
  /** First click sorts high → low (numbers); false for names and codes. */
  firstDescending?: boolean;
  testId?: string;
}
