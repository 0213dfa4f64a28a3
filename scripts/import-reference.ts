/**
 * Regenerates lib/reference/*.ts from ../shared/reference/*.tsv: `npm run import:reference`.
 * The app imports the generated modules, never the TSVs: ../shared is not deployed.
 * Usage: npm run import:reference [-- --from <dir with the TSVs>]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { REFERENCE_DIR, readReferenceTsv, renderAll } from "./lib/reference-tsv";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function sourceDir(argv: string[]): string {
  const i = argv.indexOf("--from");
  if (i < 0) return REFERENCE_DIR;
  const dir = argv[i + 1];
  if (!dir) {
    console.error("--from needs a directory");
    process.exit(2);
  }
  return dir;
}

function main(): void {
  const from = sourceDir(process.argv.slice(2));
  const files = renderAll(readReferenceTsv(from));
  for (const [path, text] of Object.entries(files)) {
    const target = `${ROOT}${path}`;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`wrote ${path}`);
  }
}

main();
