import type { Metadata } from "next";
import Link from "next/link";
import { ENDPOINTS, openApiDocument } from "@/lib/openapi";
import { textPageMetadata } from "@/lib/meta/request";
import type { RawParams } from "@/lib/params";

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  return textPageMetadata(
    "/api",
    "Public API",
    "Every figure of the dashboard as JSON or CSV: summary, apps, one app, its runs, exit codes, OS versions, regressions, incidents and the weekly digest; OpenAPI 3.1.",
    await searchParams,
  );
}

interface Parameter {
  name: string;
  in: string;
  description: string;
  schema: { enum?: readonly unknown[]; default?: unknown };
}

/** The public API, rendered from the same OpenAPI document the API serves. */
export default function ApiPage() {
  const doc = openApiDocument();
  return (
    <main className="prose">
      <h1>Public API</h1>
      <p className="lede">{doc.info.description}</p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {doc.openapi}). Every endpoint answers JSON, or CSV with <code>format=csv</code> or a{" "}
        <code>.csv</code> suffix, and takes the same parameters as the page showing the same view —{" "}
        <Link prefetch={false} href="/methodology">
          how figures are computed
        </Link>
        .
      </p>
      {ENDPOINTS.map((e) => {
        const op = (doc.paths[e.path] as { get: { parameters: Parameter[] } }).get;
        const example = e.path.replace("{nsapp}", "docker").replace("{code}", "100");
        return (
          <section className="panel" key={e.path} aria-labelledby={`ep-${e.path}`}>
            <h2 id={`ep-${e.path}`}>
              <code>GET {e.path}</code>
            </h2>
            <p>
              {e.summary}. CSV: {e.csv}.
            </p>
            <ul>
              {op.parameters.map((p) => (
                <li key={p.name}>
                  <code>{p.name}</code> ({p.in}) — {p.description}
                  {p.schema.enum ? `: ${p.schema.enum.join(", ")}` : ""}
                  {p.schema.default !== undefined && p.schema.default !== "" ? ` (default ${String(p.schema.default)})` : ""}
                </li>
              ))}
            </ul>
            <p>
              Example: <a href={`${example}?range=7d`}>{`${example}?range=7d`}</a> · <a href={`${example}.csv?range=7d`}>CSV</a>
            </p>
          </section>
        );
      })}
    </main>
  );
}
