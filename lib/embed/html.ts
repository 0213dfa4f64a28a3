/**
 * A tiny HTML template for the server-rendered widgets: every interpolated value is escaped
 * (text and double-quoted attribute values alike) unless it is already Html built by this
 * module. Arrays are joined; null, undefined and false render nothing.
 *
 * Templates quote every attribute with double quotes; URLs put into href come from paths the
 * code builds (never a raw query value), and CSS never interpolates user text.
 */

const HTML = Symbol("html");

export interface Html {
  readonly [HTML]: string;
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function isHtml(v: unknown): v is Html {
  return typeof v === "object" && v !== null && HTML in v;
}

function part(v: HtmlValue): string {
  if (isHtml(v)) return v[HTML];
  if (Array.isArray(v)) return v.map(part).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}

/** html`<p title="${t}">${text}</p>` — interpolations escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return { [HTML]: out };
}

/** Markup from a constant of this codebase (the reporter script, the style sheet). Never user input. */
export function trusted(markup: string): Html {
  return { [HTML]: markup };
}

export function htmlText(h: Html): string {
  return h[HTML];
}
