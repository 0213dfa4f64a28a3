// Bundles server/main.ts (the production HTTP server) into dist/server.mjs, and copies it into
// Next.js's standalone output so that folder runs on its own (`node server.mjs`).
import { build } from "esbuild";
import { cpSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
await build({
  entryPoints: [`${root}server/main.ts`],
  outfile: `${root}dist/server.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
const standalone = `${root}.next/standalone`;
if (existsSync(standalone)) {
  cpSync(`${root}dist/server.mjs`, `${standalone}/server.mjs`);
  // Next.js leaves static files and public/ out of the standalone folder on purpose (a CDN may serve them).
  cpSync(`${root}.next/static`, `${standalone}/.next/static`, { recursive: true });
  if (existsSync(`${root}public`)) cpSync(`${root}public`, `${standalone}/public`, { recursive: true });
}
console.log("built dist/server.mjs");
