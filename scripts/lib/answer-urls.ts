/**
 * The public answers `npm run api:diff` compares between two builds: every API endpoint of the
 * OpenAPI document (lib/openapi.ts ENDPOINTS) with no parameter and with each parameter it reads
 * set to each sample value below, as JSON and as CSV; hostile values for each parameter (their
 * notes and fallbacks are part of the answer); and the other data answers for other sites —
 * widgets, badges, chart images, feeds, sitemap, robots. Pages are left out: their HTML names
 * the build's assets, so two builds never agree byte for byte.
 */
import { ENDPOINTS } from "../../lib/openapi";
import type { Param } from "../../lib/views";

/** Sample values per parameter: each preset class, a custom range, filters with and without matches. */
const SAMPLES: Record<Param, readonly string[]> = {
  range: ["24h", "7d", "90d", "all", "bogus"],
  type: ["lxc", "vm", "nonsense"],
  os: ["debian", "alpine", "nope"],
  q: ["jelly", "%_'\"", ""],
  outcome: ["failed", "aborted", "success", "wat"],
  min: ["0", "100", "-5"],
  sort: [],
  page: ["2", "999999", "x"],
  size: ["10", "100", "7"],
  aborts: ["include", "exclude", "maybe"],
  week: ["2026-W01", "1999-W01", "not-a-week"],
  repo: ["dev", "fork", "all", "upstream"],
};

/** Values of the path parameters: busy apps, an app nobody installs, a name that needs escaping. */
const PATH_VALUES: Record<string, readonly string[]> = {
  nsapp: ["docker", "jellyfin", "homeassistant", "no-such-app", "a'b\"c"],
  code: ["1", "100", "130", "255", "99999"],
};

function fill(path: string): string[] {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");
  let paths = [path];
  for (const name of names) {
    const values = PATH_VALUES[name] ?? ["x"];
    paths = paths.flatMap((p) => values.map((v) => p.replace(`{${name}}`, encodeURIComponent(v))));
  }
  return paths;
}

type Query = Record<string, string>;

function query(params: Query): string {
  const s = new URLSearchParams(params).toString();
  return s ? `?${s}` : "";
}

/** Every API URL: each endpoint × path values × (no query, one parameter at a time, a few combinations) × JSON and CSV. */
export function apiUrls(): string[] {
  const urls = new Set<string>();
  for (const e of ENDPOINTS) {
    const variants: Query[] = [{}];
    for (const p of e.view.params) {
      const values = p === "sort" ? e.view.sortKeys.flatMap((k) => [k, `-${k}`]).concat(["bogus"]) : SAMPLES[p];
      for (const v of values) variants.push({ [p]: v });
    }
    if (e.view.params.includes("range")) {
      variants.push({ from: "2026-01-01", to: "2026-01-31" }, { from: "2030-01-01" }, { range: "7d", from: "nope" });
      if (e.view.params.includes("type")) variants.push({ range: "90d", type: "vm" });
      if (e.view.params.includes("os")) variants.push({ range: "24h", os: "debian", type: "lxc" });
    }
    variants.push({ unknown: "1" });
    for (const path of fill(e.path)) {
      for (const v of variants) {
        urls.add(`${path}${query(v)}`);
        urls.add(`${path}${query({ ...v, format: "csv" })}`);
      }
      urls.add(`${path}.csv`);
    }
  }
  urls.add("/api/v1/openapi.json");
  urls.add("/api/v1/no-such-endpoint");
  return [...urls];
}

const WIDGETS = ["summary", "outcomes", "failure-rate", "exit-codes", "os", "failing-apps", "app/docker", "app/no-such-app"];
const IMAGE_APPS = ["docker", "jellyfin", "no-such-app"];

/** Widgets, badges, chart images, feeds and crawler files: what other sites embed or read. */
export function embedUrls(): string[] {
  const urls: string[] = [];
  for (const w of WIDGETS) {
    for (const q of [{}, { range: "7d" }, { range: "90d", type: "vm" }, { theme: "dark" }, { range: "oops" }] as Query[]) urls.push(`/embed/${w}${query(q)}`);
  }
  for (const app of IMAGE_APPS) {
    for (const q of [{}, { metric: "installs" }, { metric: "failure-rate" }, { range: "7d" }, { metric: "x" }] as Query[]) {
      urls.push(`/badge/${app}.svg${query(q)}`, `/badge/${app}.json${query(q)}`);
    }
    for (const q of [{}, { metric: "failure-rate" }, { theme: "dark" }, { range: "90d" }] as Query[]) urls.push(`/chart/${app}.svg${query(q)}`);
    urls.push(`/apps/${app}/feed.xml`);
  }
  urls.push("/feed.xml", "/sitemap.xml", "/robots.txt");
  return urls;
}
