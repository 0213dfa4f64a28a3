/**
 * Configuration is read in one module (lib/config.ts): every setting the dashboard reads is
 * parsed there, documented in the README's environment table, and read nowhere else — so the
 * table is the whole list and a setting cannot be parsed two ways.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { admissionConfig, gateConfig, httpServerConfig, rateLimitConfig, securityConfig, serverConfig } from "../../lib/config";

const ROOT = resolve(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((e) => {
    const path = join(dir, e);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : /\.tsx?$/.test(e) ? [path] : [];
  });
}

it("no module but lib/config.ts reads the environment (server/main.ts only sets Next.js's own variables)", () => {
  const reads: string[] = [];
  for (const file of ["app", "components", "lib", "server"].flatMap(sources)) {
    if (file === join("lib", "config.ts")) continue;
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.includes("process.env") || /^\s*(\*|\/\/)/.test(line)) return;
        // Writes: the render processes' environment, NODE_ENV, Next.js's standalone configuration.
        if (/\{ \.\.\.process\.env|Object\.assign\(process\.env|process\.env\.__NEXT_PRIVATE_STANDALONE_CONFIG/.test(line)) return;
        reads.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(reads).toEqual([]);
});

it("every variable lib/config.ts reads is in the README's environment table", () => {
  const config = readFileSync(join(ROOT, "lib", "config.ts"), "utf8");
  const read = new Set([...config.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
  expect(read.size).toBeGreaterThan(15);
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Environment"), readme.indexOf("\n## ", readme.indexOf("## Environment") + 5));
  expect([...read].filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
});

it("defaults when unset, and a value that cannot be parsed falls back to its default", () => {
  const garbage = Object.fromEntries(
    [
      "POCKETBASE_TIMEOUT_MS",
      "POCKETBASE_MAX_IN_FLIGHT",
      "POCKETBASE_MAX_QUEUE",
      "RATE_LIMIT_PER_MINUTE",
      "RATE_LIMIT_BURST",
      "RATE_LIMIT_CONCURRENT",
      "RENDER_CONCURRENCY",
      "RENDER_QUEUE",
      "RENDER_WORKERS",
      "RENDER_NICE",
      "RENDER_TIMEOUT_MS",
      "PORT",
      "HSTS_MAX_AGE",
      "UNFINISHED_AFTER_MINUTES",
      "DATA_CACHE_FRESH_SECONDS",
    ].map((k) => [k, "-x"]),
  );
  for (const env of [{}, garbage]) {
    expect(gateConfig(env)).toMatchObject({ timeoutMs: 4000, maxInFlight: 8, maxQueue: 64 });
    expect(rateLimitConfig(env)).toEqual({ perMinute: 120, burst: 60, concurrent: 4 });
    expect(admissionConfig(2, env)).toMatchObject({ limit: 4, queue: 8 });
    expect(httpServerConfig(env)).toMatchObject({ port: 3000, host: "0.0.0.0", responseCache: true, renderTimeoutMs: 15_000, renderNice: 5 });
    expect(securityConfig(env).hstsMaxAge).toBe(31_536_000);
    expect(serverConfig(env)).toMatchObject({ pocketbaseUrl: "http://127.0.0.1:8090", unfinishedAfterMs: 3_600_000, dataFreshMs: null });
  }
  const set = {
    RATE_LIMIT_PER_MINUTE: "0",
    RENDER_WORKERS: "0",
    RENDER_NICE: "0",
    RESPONSE_CACHE: "0",
    HSTS_MAX_AGE: "0",
    DATA_CACHE_FRESH_SECONDS: "0",
    UNFINISHED_AFTER_MINUTES: "90",
  };
  expect(rateLimitConfig(set).perMinute).toBe(0);
  expect(httpServerConfig(set)).toMatchObject({ renderWorkers: 0, renderNice: 0, responseCache: false });
  expect(securityConfig(set).hstsMaxAge).toBe(0);
  expect(serverConfig(set)).toMatchObject({ dataFreshMs: 0, unfinishedAfterMs: 90 * 60_000 });
  expect(admissionConfig(2, { RENDER_CONCURRENCY: "0" })).toMatchObject({ limit: 0, queue: 8 });
});
