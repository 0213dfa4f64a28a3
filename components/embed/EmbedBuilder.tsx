"use client";
/**
 * The /embed builder: choose a widget, an app and options, see the widget in a real iframe sized
 * by /embed.js (as on the embedding site), copy the snippet; then the same for a badge.
 */
import Script from "next/script";
import { useEffect, useId, useState } from "react";
import {
  BADGE_METRICS,
  CHART_METRICS,
  CHART_SIZE,
  EMBED_FRAME_ATTRIBUTE,
  EMBED_THEMES,
  WIDGET_NAMES,
  WIDGETS,
  type BadgeMetric,
  type ChartMetric,
  type WidgetName,
} from "@/lib/embed/catalog";
import { badgeSnippets, chartSnippets, frameTitle, iframeSnippet, widgetUrl, type WidgetChoice } from "@/lib/embed/snippets";
import { TYPES } from "@/lib/run-type";
import { PRESET_LABELS, RANGE_PRESET_KEYS, type RangePreset } from "@/lib/range";
import { CopyBox } from "./CopyBox";

const PREVIEW_WIDTHS = { full: "Full width", "400": "400 px", "320": "320 px (phone)" } as const;
type PreviewWidth = keyof typeof PREVIEW_WIDTHS;
const DEFAULT_ACCENT = "#2257c2";
const METRIC_LABELS: Record<BadgeMetric, string> = { "success-rate": "Success rate", installs: "Installs", "failure-rate": "Failure rate", "install-time": "Install time" };
const CHART_LABELS: Record<ChartMetric, string> = { outcomes: "Runs by outcome", "failure-rate": "Failure rate" };

function Field({ label, children }: { label: string; children: (id: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

export function EmbedBuilder({ apps }: { apps: [string, string][] }) {
  const listId = useId();
  const [origin, setOrigin] = useState("");
  const [choice, setChoice] = useState<WidgetChoice>({
    widget: "app",
    app: "jellyfin",
    range: "30d",
    type: null,
    theme: "auto",
    transparent: false,
    compact: false,
    title: true,
    link: true,
    accent: null,
  });
  const [appText, setAppText] = useState("jellyfin");
  const [width, setWidth] = useState<PreviewWidth>("400");
  const [metric, setMetric] = useState<BadgeMetric>("success-rate");
  const [badgeTheme, setBadgeTheme] = useState<"light" | "dark">("light");
  const [chartMetric, setChartMetric] = useState<ChartMetric>("outcomes");
  useEffect(() => setOrigin(window.location.origin), []);

  const spec = WIDGETS[choice.widget];
  const known = new Set(apps.map(([nsapp]) => nsapp));
  const appValid = known.has(appText.trim());
  const set = (patch: Partial<WidgetChoice>) => setChoice((c) => ({ ...c, ...patch }));
  function setApp(text: string) {
    setAppText(text);
    const t = text.trim();
    set({ app: known.has(t) ? t : t === "" ? null : choice.app });
  }
  const needsApp = choice.widget === "app" && !choice.app;
  const effective: WidgetChoice = { ...choice, app: spec.app ? choice.app : null };
  const src = needsApp ? null : widgetUrl(origin, effective);
  const badgeApp = choice.app ?? "jellyfin";
  const badge = badgeSnippets(origin, { app: badgeApp, range: choice.range, metric, theme: badgeTheme });
  const chart = chartSnippets(origin, { app: badgeApp, range: choice.range, metric: chartMetric, theme: badgeTheme });

  return (
    <div className="embed-builder">
      <Script src="/embed.js" strategy="afterInteractive" />
      <section className="panel" aria-labelledby="widget-heading">
        <h2 id="widget-heading">Widget</h2>
        <div className="builder-grid">
          <Field label="Widget">
            {(id) => (
              <select id={id} value={choice.widget} onChange={(e) => set({ widget: e.target.value as WidgetName })}>
                {WIDGET_NAMES.map((w) => (
                  <option key={w} value={w}>
                    {WIDGETS[w].name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={choice.widget === "app" ? "App (required)" : spec.app ? "App (optional; empty: every app)" : "App (not used by this widget)"}>
            {(id) => (
              <>
                <input
                  id={id}
                  list={listId}
                  value={appText}
                  onChange={(e) => setApp(e.target.value)}
                  disabled={!spec.app}
                  autoComplete="off"
                  placeholder="Search an app, e.g. jellyfin"
                  aria-invalid={appText !== "" && !appValid}
                />
                <datalist id={listId}>
                  {apps.map(([nsapp, name]) => (
                    <option key={nsapp} value={nsapp}>
                      {name}
                    </option>
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="Range">
            {(id) => (
              <select id={id} value={choice.range} onChange={(e) => set({ range: e.target.value as RangePreset })}>
                {RANGE_PRESET_KEYS.map((r) => (
                  <option key={r} value={r}>
                    {PRESET_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={spec.type ? "Install type" : "Install type (not used by this widget)"}>
            {(id) => (
              <select id={id} value={choice.type ?? ""} disabled={!spec.type || (spec.app && !!choice.app)} onChange={(e) => set({ type: e.target.value || null })}>
                <option value="">Every type</option>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Theme">
            {(id) => (
              <select id={id} value={choice.theme} onChange={(e) => set({ theme: e.target.value as WidgetChoice["theme"] })}>
                {EMBED_THEMES.map((t) => (
                  <option key={t} value={t}>
                    {t === "auto" ? "auto (the reader's setting)" : t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Chart colour">
            {(id) => (
              <span className="accent-field">
                <input id={id} type="color" value={choice.accent ?? DEFAULT_ACCENT} onChange={(e) => set({ accent: e.target.value })} />
                <button type="button" onClick={() => set({ accent: null })} disabled={!choice.accent}>
                  Default
                </button>
              </span>
            )}
          </Field>
        </div>
        <fieldset className="checks">
          <legend className="sr-only">Display options</legend>
          <label>
            <input type="checkbox" checked={choice.transparent} onChange={(e) => set({ transparent: e.target.checked })} /> Transparent background
          </label>
          <label>
            <input type="checkbox" checked={choice.compact} onChange={(e) => set({ compact: e.target.checked })} /> Compact
          </label>
          <label>
            <input type="checkbox" checked={!choice.title} onChange={(e) => set({ title: !e.target.checked })} /> Hide title
          </label>
          <label>
            <input type="checkbox" checked={!choice.link} onChange={(e) => set({ link: !e.target.checked })} /> No link to the dashboard
          </label>
        </fieldset>
        <p className="muted">Shows {spec.what}.</p>
      </section>

      <section className="panel" aria-labelledby="preview-heading">
        <div className="preview-head">
          <h2 id="preview-heading">Preview</h2>
          <Field label="Preview width">
            {(id) => (
              <select id={id} value={width} onChange={(e) => setWidth(e.target.value as PreviewWidth)}>
                {Object.entries(PREVIEW_WIDTHS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className={`preview preview-${width}`}>
          {src && origin ? (
            <iframe {...{ [EMBED_FRAME_ATTRIBUTE]: "" }} key={src} src={src} title={frameTitle(effective)} height={spec.height} data-testid="embed-preview" />
          ) : (
            <p className="muted">{needsApp ? "Choose an app from the list to preview its widget." : "Loading…"}</p>
          )}
        </div>
        {src && origin && <CopyBox label="Embed code" text={iframeSnippet(origin, effective)} rows={4} testId="snippet-iframe" />}
      </section>

      <section className="panel" aria-labelledby="badge-heading">
        <h2 id="badge-heading">Badge for {badgeApp}</h2>
        <div className="builder-grid">
          <Field label="Figure">
            {(id) => (
              <select id={id} value={metric} onChange={(e) => setMetric(e.target.value as BadgeMetric)}>
                {BADGE_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {METRIC_LABELS[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Badge theme">
            {(id) => (
              <select id={id} value={badgeTheme} onChange={(e) => setBadgeTheme(e.target.value as "light" | "dark")}>
                <option value="light">light</option>
                <option value="dark">dark</option>
              </select>
            )}
          </Field>
        </div>
        {/* eslint-disable-next-line @next/next/no-img-element -- the badge as embedders will load it */}
        <p className="badge-preview">{origin && <img src={badge.svg} alt={`Badge: ${badgeApp} ${METRIC_LABELS[metric].toLowerCase()}`} data-testid="badge-preview" />}</p>
        <CopyBox label="Markdown" text={badge.markdown} rows={2} testId="snippet-markdown" />
        <CopyBox label="HTML" text={badge.html} rows={2} testId="snippet-html" />
        <CopyBox label="Shields endpoint" text={badge.shields} rows={2} testId="snippet-shields" />
      </section>

      <section className="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Chart for READMEs: {badgeApp}</h2>
        <p className="muted">
          An SVG image of {badgeApp}&apos;s runs per day (per week or month for long ranges) by outcome, or its failure rate with the 95 % interval — for GitHub and anywhere an
          iframe cannot go. It uses the app, range and badge theme chosen above.
        </p>
        <div className="builder-grid">
          <Field label="Chart">
            {(id) => (
              <select id={id} value={chartMetric} onChange={(e) => setChartMetric(e.target.value as ChartMetric)}>
                {CHART_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {CHART_LABELS[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <p className="chart-preview">
          {origin && (
            <img
              src={chart.svg}
              alt={`Chart: ${badgeApp} ${CHART_LABELS[chartMetric].toLowerCase()}`}
              width={CHART_SIZE.width}
              height={CHART_SIZE.height}
              data-testid="chart-preview"
            />
          )}
        </p>
        <CopyBox label="Chart Markdown" text={chart.markdown} rows={2} testId="snippet-chart-markdown" />
        <CopyBox label="Chart HTML (follows GitHub's light or dark theme)" text={chart.picture} rows={4} testId="snippet-chart-picture" />
      </section>
    </div>
  );
}
