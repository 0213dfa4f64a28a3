/**
 * Progress on stderr for long CLI jobs. On a terminal: one bar redrawn in place (\r) at most
 * ~10 times a second, so progress costs nothing next to the work. Elsewhere (CI logs, pipes):
 * a plain line per 10 % step, so logs stay short and readable.
 */

export interface Progress {
  update(done: number): void;
  /** Prints a status line (e.g. a new phase) without breaking the bar. */
  note(text: string): void;
  finish(): void;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 28;

export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** "42.0%  420,000/1,000,000 rows  85,312 rows/s  ETA 00:07" */
export function progressText(done: number, total: number, elapsedSeconds: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  return `${(share * 100).toFixed(1).padStart(5)}%  ${formatCount(done)}/${formatCount(total)} rows  ` + `${formatCount(rate)} rows/s  ETA ${formatDuration(eta)}`;
}

function bar(share: number): string {
  const filled = Math.round(Math.min(1, share) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastStep = -1;
  let onLine = false; // the bar is on the current line (no newline after it yet)
  let stale = false; // progress happened since the last draw
  let done = 0;

  const draw = () => {
    stream.write(`\r${bar(total > 0 ? done / total : 1)} ${progressText(done, total, elapsed())}\x1b[K`);
    onLine = true;
    stale = false;
  };
  /** Leaves the bar showing its latest state and moves below it (before other output). */
  const settle = () => {
    if (stale) draw();
    if (onLine) stream.write("\n");
    onLine = false;
  };

  return {
    update(n) {
      done = n;
      stale = true;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw >= REDRAW_MS || n >= total) {
          lastDraw = now;
          draw();
        }
        return;
      }
      const step = total > 0 ? Math.floor((n / total) * 10) : 10;
      if (step > lastStep) {
        lastStep = step;
        stream.write(`${progressText(n, total, elapsed())}\n`);
      }
    },
    note(text) {
      if (tty) settle();
      stream.write(`${text}\n`);
    },
    finish() {
      if (tty) settle();
    },
  };
}
