/**
 * Atom 1.0 documents (RFC 4287), written by hand: the feeds need a dozen elements, and every
 * value — app names come from installers' reports — passes through `escapeXml`. Pure.
 */

/** Characters XML 1.0 forbids anywhere, even escaped (C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe in XML character data and in double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "\ufffd").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface AtomEntry {
  /** A permanent IRI that stays the entry's as long as it is the same event (tag: URI). */
  id: string;
  title: string;
  /** RFC 3339 instant of the last significant change. */
  updated: string;
  /** Absolute URL of the page about it. */
  link: string;
  /** Plain text. */
  summary: string;
  /** HTML (escaped into the document as text, type="html"). */
  content?: string;
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  /** Absolute URL of the feed itself. */
  self: string;
  /** Absolute URL of the page the feed follows. */
  alternate: string;
  author: { name: string; uri: string };
  /** When nothing is in the feed: the feed's own `updated` (it is otherwise the newest entry's). */
  emptyUpdated: string;
  entries: readonly AtomEntry[];
}

const el = (name: string, text: string, attrs = "") => `<${name}${attrs}>${escapeXml(text)}</${name}>`;
const attr = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;

function entryXml(e: AtomEntry): string {
  return [
    "  <entry>",
    `    ${el("id", e.id)}`,
    `    ${el("title", e.title, attr("type", "text"))}`,
    `    ${el("updated", e.updated)}`,
    `    <link${attr("rel", "alternate")}${attr("type", "text/html")}${attr("href", e.link)}/>`,
    ...(e.categories ?? []).map((c) => `    <category${attr("term", c)}/>`),
    `    ${el("summary", e.summary, attr("type", "text"))}`,
    ...(e.content ? [`    ${el("content", e.content, attr("type", "html"))}`] : []),
    "  </entry>",
  ].join("\n");
}

/** The newest `updated` of the entries (RFC 3339 strings of one format compare as text). */
export function newest(entries: readonly AtomEntry[]): string | null {
  return entries.reduce<string | null>((max, e) => (max === null || e.updated > max ? e.updated : max), null);
}

/** The whole document, entries in the order given. */
export function atomXml(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  ${el("id", feed.id)}`,
    `  ${el("title", feed.title, attr("type", "text"))}`,
    ...(feed.subtitle ? [`  ${el("subtitle", feed.subtitle, attr("type", "text"))}`] : []),
    `  ${el("updated", newest(feed.entries) ?? feed.emptyUpdated)}`,
    `  <link${attr("rel", "self")}${attr("type", "application/atom+xml")}${attr("href", feed.self)}/>`,
    `  <link${attr("rel", "alternate")}${attr("type", "text/html")}${attr("href", feed.alternate)}/>`,
    `  <author>${el("name", feed.author.name)}${el("uri", feed.author.uri)}</author>`,
    `  ${el("generator", "PVE script installs dashboard")}`,
    ...feed.entries.map(entryXml),
    "</feed>",
    "",
  ].join("\n");
}
