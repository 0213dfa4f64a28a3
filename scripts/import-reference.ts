/**
 * Regenerates lib/reference/*.ts from reference/*.tsv: `npm run import:reference`.
 * With `--from <dir>` (e.g. ../shared/reference, where the project's reference data is kept),
 * the TSVs are first copied into reference/, then the modules regenerated from them.
 * The app imports the generated modules, never the TSVs: reference/ is not deployed.
 * Usage: npm run import:reference [-- --from <dir with the TSVs>]
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { REFERENCE_DIR, REFERENCE_FILES, readReferenceTsv, renderAll } from "./lib/reference-tsv";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function sourceDir(argv: string[]): string | null {
  const i = argv.indexOf("--from");
  if (i < 0) return null;
  const dir = argv[i + 1];
  if (!dir) {
    console.error("--from needs a directory");
    process.exit(2);
  }
  return dir;
}

function main(): void {
  const from = sourceDir(process.argv.slice(2));
  if (from !== null) {
    for (const name of REFERENCE_FILES) {
      copyFileSync(join(from, name), join(REFERENCE_DIR, name));
      console.log(`copied reference/${name}`);
    }
  }
  const files = renderAll(readReferenceTsv());
  for (const [path, text] of Object.entries(files)) {
    const target = `${ROOT}${path}`;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`wrote ${path}`);
  }
}

main();
