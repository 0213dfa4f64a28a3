/**
 * Comments and docs send the reader to files by path ("see lib/data/queries/runs.ts"); a path that no
 * longer exists sends them nowhere. Every project path named in the code, the tests, the
 * scripts and the docs must exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SCANNED = ["lib", "server", "components", "app", "scripts", "tests", "docs", "deploy", "pocketbase/pb_hooks", "README.md", "SECURITY.md"];
// Not the tail of a longer name: …/community-scripts/ProxmoxVE/… in a URL is not scripts/.
const PATH = /(?<![\w-])(?:lib|server|components|app|scripts|tests|docs|deploy|pocketbase)\/[\w./[\]-]+\.(?:tsx?|mjs|cjs|js|md|vcl|sh)\b/g;

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((e) => files(join(path, e)));
}

it("every project file a comment or a doc names exists", () => {
  const missing: string[] = [];
  for (const file of SCANNED.flatMap(files).filter((f) => /\.(tsx?|mjs|cjs|js|md|vcl)$/.test(f))) {
    for (const [ref] of readFileSync(join(ROOT, file), "utf8").matchAll(PATH)) {
      if (!existsSync(join(ROOT, ref))) missing.push(`${relative(ROOT, join(ROOT, file))}: ${ref}`);
    }
  }
  expect(missing).toEqual([]);
});
