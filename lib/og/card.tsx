/**
 * The Open Graph image of a page (1200 × 630, light): what it is about, its headline figures
 * with n, and a sparkline of its runs per bucket by outcome — drawn by next/og (satori + resvg)
 * with the font it bundles (Geist), so it renders offline. Text is limited to characters that
 * font has (ogText), since satori would fetch a fallback font from the network for others.
 * Pure: lib/og/respond.tsx reads the figures.
 */
import { PALETTE } from "../embed/document";

const light = (name: keyof typeof PALETTE) => PALETTE[name]![0];

export const OG_COLORS = {
  success: light("success"),
  failed: light("failed"),
  aborted: light("aborted"),
  other: light("unknown"),
} as const;

export interface OgFigure {
  value: string;
  label: string;
}

/** One bar of the sparkline: its stacked parts, bottom first. */
export type OgBar = readonly { value: number; color: string }[];

export interface OgCard {
  /** Small line above the title ("Proxmox VE script installs · last 30 days"). */
  kicker: string;
  title: string;
  subtitle: string;
  figures: readonly OgFigure[];
  bars: readonly OgBar[];
  /** What the bars show ("runs per day by outcome"), with their legend. */
  barsLabel: string;
  legend: readonly { label: string; color: string }[];
  /** The dates covered ("31 Oct – 29 Nov 2026, UTC"). */
  footer: string;
}

/**
 * Printable ASCII and the punctuation the site's texts use (all in Geist); anything else — an
 * app name in another script — becomes "?" rather than a network request for a font.
 */
export function ogText(text: string, max = 90): string {
  const clean = text.replace(/[^\x20-\x7e·–—…%×≥≤]/g, "?");
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

const WIDTH = 1200;
const HEIGHT = 630;
const PAD = 64;
const BARS_WIDTH = WIDTH - 2 * PAD;
const BARS_HEIGHT = 150;

function Bars({ bars }: { bars: readonly OgBar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.reduce((n, p) => n + p.value, 0)));
  const step = BARS_WIDTH / Math.max(1, bars.length);
  const gap = step > 8 ? Math.min(6, step * 0.2) : 0;
  const rects = bars.flatMap((bar, i) => {
    let base = 0;
    return bar.flatMap((part, j) => {
      if (part.value <= 0) return [];
      const h = (part.value / max) * BARS_HEIGHT;
      const y = BARS_HEIGHT - base - h;
      base += h;
      // biome-ignore lint/suspicious/noArrayIndexKey: a bar is its position on the time axis; the image is drawn once
      return [<rect key={`${i}-${j}`} x={i * step + gap / 2} y={y} width={Math.max(1, step - gap)} height={h} fill={part.color} />];
    });
  });
  return (
    // biome-ignore lint/a11y/noSvgWithoutTitle: drawn into a PNG, never into a page; the image's alt text is og:image:alt
    <svg width={BARS_WIDTH} height={BARS_HEIGHT} viewBox={`0 0 ${BARS_WIDTH} ${BARS_HEIGHT}`}>
      <rect x={0} y={BARS_HEIGHT - 1} width={BARS_WIDTH} height={1} fill={light("border")} />
      {rects}
    </svg>
  );
}

export function OgImage({ card }: { card: OgCard }) {
  const muted = light("muted");
  return (
    <div
      style={{
        width: WIDTH,
        height: HEIGHT,
        display: "flex",
        flexDirection: "column",
        background: "#ffffff",
        color: light("text"),
        borderTop: `14px solid ${light("accent")}`,
        padding: `40px ${PAD}px 36px`,
        fontSize: 28,
      }}
    >
      <div style={{ display: "flex", color: light("accent"), fontSize: 26 }}>{ogText(card.kicker)}</div>
      <div style={{ display: "flex", fontSize: 68, lineHeight: 1.1, marginTop: 10 }}>{ogText(card.title, 34)}</div>
      <div style={{ display: "flex", color: muted, fontSize: 28, marginTop: 6 }}>{ogText(card.subtitle, 72)}</div>
      <div style={{ display: "flex", marginTop: 34 }}>
        {card.figures.map((f) => (
          <div key={f.label} style={{ display: "flex", flexDirection: "column", marginRight: 72 }}>
            <div style={{ display: "flex", fontSize: 60, lineHeight: 1 }}>{ogText(f.value)}</div>
            <div style={{ display: "flex", color: muted, fontSize: 26, marginTop: 8 }}>{ogText(f.label)}</div>
          </div>
        ))}
      </div>
      <div style={{ display: "flex", flexGrow: 1 }} />
      <div style={{ display: "flex", justifyContent: "space-between", color: muted, fontSize: 22, marginBottom: 8 }}>
        <div style={{ display: "flex" }}>{ogText(card.barsLabel)}</div>
        <div style={{ display: "flex" }}>
          {card.legend.map((l) => (
            <div key={l.label} style={{ display: "flex", alignItems: "center", marginLeft: 20 }}>
              <div style={{ display: "flex", width: 16, height: 16, borderRadius: 3, background: l.color, marginRight: 8 }} />
              {ogText(l.label)}
            </div>
          ))}
        </div>
      </div>
      <Bars bars={card.bars} />
      <div style={{ display: "flex", color: muted, fontSize: 22, marginTop: 10 }}>{ogText(card.footer)}</div>
    </div>
  );
}

export const OG_SIZE = { width: WIDTH, height: HEIGHT } as const;
