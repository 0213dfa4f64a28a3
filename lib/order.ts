/**
 * The one ordering rule of sortable tables (the apps table, OS versions): by the value,
 * ascending or descending; a row without a value — a rate without decided runs, a change that
 * cannot be computed — sorts last in both directions ("unknown" is neither lowest nor highest).
 * Ties are left to the caller (0). Text compares by code unit, as SQLite (and so PocketBase's
 * sort) does, so a list sorted here and one sorted by PocketBase agree. Pure.
 */
export type SortValue = number | string | null | undefined;

export function compareValues(x: SortValue, y: SortValue, descending: boolean): number {
  const xMissing = x === null || x === undefined;
  const yMissing = y === null || y === undefined;
  if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
  const c = typeof x === "string" || typeof y === "string" ? compareText(String(x), String(y)) : x - y;
  return descending ? -c : c;
}

/** Code-unit order (SQLite's BINARY collation). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
