import type { Metadata } from "next";
import Link from "next/link";
import { API_CHANGELOG, API_RULES, CHANGE_HEADINGS, type ChangeKind } from "@/lib/api-changelog";
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

/** Text with `code` in backticks, as the changelog writes it. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, never reordered
          <code key={i}>{part}</code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** What changed in v1 (lib/api-changelog.ts, also docs/API-CHANGELOG.md). */
function Changes() {
  return (
    <section className="panel" id="changes" aria-labelledby="changes-heading">
      <h2 id="changes-heading">Changes</h2>
      <p>The API is version 1. Widgets, badges and other websites read it, so within v1:</p>
      <ul>
        {API_RULES.map((r) => (
          <li key={r}>
            <WithCode text={r} />
          </li>
        ))}
      </ul>
      {API_CHANGELOG.map((release) => (
        <div key={`${release.date} ${release.title}`} data-testid="api-release">
          <h3>
            {release.date} — {release.title}
          </h3>
          <p>{release.summary}</p>
          {(Object.keys(CHANGE_HEADINGS) as ChangeKind[]).map((kind) => {
            const changes = release.changes.filter((c) => c.kind === kind);
            if (changes.length === 0) return null;
            return (
              <div key={kind}>
                <h4>{CHANGE_HEADINGS[kind]}</h4>
                <ul>
                  {changes.map((c) => (
                    <li key={c.title}>
                      <strong>
                        <WithCode text={c.title} />.
                      </strong>{" "}
                      <WithCode text={c.text} />
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
      ))}
    </section>
  );
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
        . What changed, and what v1 promises: <a href="#changes">changes</a>.
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
      <Changes />
    </main>
  );
}
