/**
 * "Name contains …" as PocketBase answers it for lib/data/queries/rollup-range.ts containsText
 * (a `~` filter with every character but letters and digits escaped: SQLite's LIKE), for lists
 * filtered in memory: the text literally, ASCII letters in either case (SQLite's LIKE folds only
 * ASCII), lone surrogates as U+FFFD (they cannot be URL-encoded), and a NUL never matches. Pure.
 */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function containsName(value: string, text: string): boolean {
  if (text.includes("\0")) return false;
  return asciiLower(value).includes(asciiLower(text.replace(/\p{Cs}/gu, "\uFFFD")));
}
