/**
 * The page around a widget: a complete HTML document with inline CSS, one card, no site chrome
 * and the height reporter as its only script. Themes use the site's palette (app/globals.css,
 * checked equal by tests/unit/embed-render.test.ts) through light-dark(), so theme=auto follows
 * the reader's colour scheme and light/dark fix it.
 */
import type { EmbedOptions } from "./options";
import { html, trusted, htmlText, type Html } from "./html";
import { REPORTER_SCRIPT } from "./reporter";

/** Name → [light, dark]; the same values as app/globals.css. */
export const PALETTE: Record<string, readonly [string, string]> = {
  bg: ["#f7f8fa", "#0f1216"],
  panel: ["#ffffff", "#171b21"],
  text: ["#15181d", "#e7eaef"],
  muted: ["#5b6472", "#9aa3b1"],
  border: ["#dde1e7", "#2a303a"],
  accent: ["#2257c2", "#7aa5f3"],
  success: ["#2e9d5b", "#45b872"],
  failed: ["#d64545", "#f06a6a"],
  aborted: ["#d99a1e", "#e6b04a"],
  unknown: ["#8a8f98", "#9aa0a8"],
  unfinished: ["#7c5cc4", "#a48ae0"],
  running: ["#3aa0c8", "#5cc0e6"],
};

const VARIABLES = Object.entries(PALETTE)
  .map(([name, [light, dark]]) => `--${name}:light-dark(${light},${dark});`)
  .join("");

// No height depends on the frame's height (no vh, no 100%): the reporter measures the content.
const STYLE =
  `:root{${VARIABLES}--chart:var(--accent);color-scheme:light dark;font:14px/1.4 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}` +
  `:root.theme-light{color-scheme:light}:root.theme-dark{color-scheme:dark}` +
  `*{box-sizing:border-box}body{margin:0;color:var(--text)}` +
  `main{display:block}.card{position:relative;background:var(--panel);border:1px solid var(--border);border-radius:10px;padding:12px 14px}` +
  `.bg-transparent .card{background:transparent;border-color:transparent}` +
  `h1{font-size:1rem;margin:0 0 8px;line-height:1.3}.range{color:var(--muted);font-weight:normal}` +
  `.muted{color:var(--muted)}.num{font-variant-numeric:tabular-nums}` +
  `.note{margin:0 0 8px;padding:4px 8px;border-left:3px solid var(--aborted);background:color-mix(in srgb,var(--aborted) 14%,transparent);border-radius:4px;font-size:.8rem}` +
  `.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(88px,1fr));gap:8px 14px;margin:0 0 10px}` +
  `.stats dt{color:var(--muted);font-size:.8rem}.stats dd{margin:2px 0 0;font-size:1.45rem;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.2}` +
  `.stats dd.sub{font-size:.75rem;font-weight:normal;color:var(--muted);margin:1px 0 0}` +
  `.plot{display:block;width:100%;overflow:visible}.spark{display:block;width:100%;height:36px}` +
  `.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.72rem;margin-top:2px;font-variant-numeric:tabular-nums}` +
  `.ymax{color:var(--muted);font-size:.72rem;font-variant-numeric:tabular-nums}` +
  `.legend{display:flex;flex-wrap:wrap;gap:2px 12px;list-style:none;padding:0;margin:6px 0 0;font-size:.78rem;color:var(--muted)}` +
  `.legend svg{vertical-align:-1px;margin-right:4px}` +
  `.bars{list-style:none;margin:0;padding:0;display:grid;gap:7px}.bars li{display:grid;grid-template-columns:1fr auto;gap:1px 10px;font-size:.85rem}` +
  `.bars .what{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.bars .why{grid-column:1/-1;color:var(--muted);font-size:.75rem;margin-top:-1px}` +
  `.bars svg{grid-column:1/-1;display:block;width:100%;height:6px}` +
  `.empty{color:var(--muted);margin:8px 0}.headline{margin:0 0 8px}.headline.muted{font-size:.8rem}.spark-label{margin:0 0 2px;font-size:.75rem}.top-code{margin:10px 0 0;font-size:.85rem}` +
  `.foot{display:flex;flex-wrap:wrap;justify-content:space-between;gap:2px 10px;margin:10px 0 0;font-size:.75rem;color:var(--muted)}` +
  `.foot a{color:var(--muted)}.open::after{content:"";position:absolute;inset:0;border-radius:10px}` +
  `.open:focus-visible{outline:none}.open:focus-visible::after{outline:2px solid var(--accent);outline-offset:-2px}` +
  `.card:has(.open):hover{border-color:var(--muted)}` +
  `details{position:relative;z-index:1;margin-top:8px;font-size:.78rem}summary{cursor:pointer;color:var(--muted);width:max-content}` +
  `table{border-collapse:collapse;width:100%;margin-top:4px;font-variant-numeric:tabular-nums}th,td{text-align:right;padding:2px 6px;border-bottom:1px solid var(--border)}` +
  `th:first-child,td:first-child{text-align:left}` +
  `.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}` +
  `.compact{font-size:13px}.compact .card{padding:8px 10px}.compact h1{font-size:.9rem;margin-bottom:4px}.compact .stats dd:not(.sub){font-size:1.2rem}` +
  `.compact .foot{margin-top:6px}`;

export interface WidgetDocument {
  /** The card's heading (also the document title); visible unless title=0. */
  title: string;
  /** "last 30 days", shown after the title. */
  rangeLabel: string;
  body: Html;
  /** The dashboard page the card opens (a path of this site). */
  href: string;
  /** First and last bucket shown (data-from/data-to on the card, for scripts and tests). */
  range?: { from: string; to: string };
  notes: readonly string[];
}

/** Options that shape the page (all validated by parseEmbedOptions). */
export type Presentation = Pick<EmbedOptions, "theme" | "transparent" | "compact" | "title" | "accent" | "link">;

function rootClass(p: Presentation): string {
  return [p.theme !== "auto" && `theme-${p.theme}`, p.transparent && "bg-transparent", p.compact && "compact"].filter(Boolean).join(" ");
}

function accentRule(accent: string | null): string {
  // Validated again here because it is written into CSS.
  return accent !== null && /^#[0-9a-f]{6}$/.test(accent) ? `:root{--chart:${accent}}` : "";
}

export function renderWidget(doc: WidgetDocument, p: Presentation): string {
  const range = doc.rangeLabel ? html` <span class="range">· ${doc.rangeLabel}</span>` : html``;
  const heading = html`<h1 class="${p.title ? "" : "sr-only"}">${doc.title}${range}</h1>`;
  const foot = p.link
    ? html`<a class="open" href="${doc.href}" target="_blank" rel="noopener">Open the dashboard<span class="sr-only"> (new tab)</span> ↗</a>`
    : html`<span>PVE script installs</span>`;
  const page = html`<!doctype html>
<html lang="en" class="${rootClass(p)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${[doc.title, doc.rangeLabel, "PVE script installs"].filter(Boolean).join(" · ")}</title>
<style>${trusted(STYLE + accentRule(p.accent))}</style></head>
<body><main class="card"${doc.range ? html` data-from="${doc.range.from}" data-to="${doc.range.to}"` : html``}>${heading}${doc.notes.map((n) => html`<p class="note" role="note">${n}</p>`)}${doc.body}
<p class="foot">${foot}<span>${p.title ? "" : doc.rangeLabel}</span></p></main>
<script>${trusted(REPORTER_SCRIPT)}</script></body></html>`;
  return htmlText(page);
}

/** A small card that says what went wrong (unknown app, statistics unavailable). */
export function renderMessage(title: string, message: string, p: Presentation): string {
  return renderWidget({ title, rangeLabel: "", body: html`<p class="empty">${message}</p>`, href: "/", notes: [] }, { ...p, link: false });
}
