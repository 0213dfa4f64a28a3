/** The demo-data generator: deterministic, chronological, never in the future, realistic shapes. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { explainExitCode } from "../../lib/exit-codes";
import { ACCEPTED_STATUSES } from "../../lib/outcomes";
import { pbTime } from "../../lib/time";
import { DEMO_EVENTS, eventTruth, ONGOING_EVENTS, type RegressionEvent } from "../../scripts/lib/demo-events";
import { countRows, generateRows, type GenerateOptions, type TelemetryRow } from "../../scripts/lib/generate";
import { pbTimestamp } from "../../scripts/lib/generate-time";

const END = new Date("2026-03-15T13:45:00.000Z");
const SMALL: GenerateOptions = { seed: 42, days: 3, runsPerDay: 400, end: END };
/** 45 days × 4,000 runs: enough for rates, still well under a second to generate. */
const BIG: GenerateOptions = { seed: 7, days: 45, runsPerDay: 4000, end: END };
const big = [...generateRows(BIG)];

const digest = (opts: GenerateOptions) => {
  const hash = createHash("sha256");
  for (const row of generateRows(opts)) hash.update(JSON.stringify(row));
  return hash.digest("hex");
};

const PB_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const share = (rows: TelemetryRow[], test: (r: TelemetryRow) => boolean) => rows.filter(test).length / rows.length;

describe("generateRows", () => {
  it("gives byte-identical rows for the same options, different ones for another seed", () => {
    expect(digest(SMALL)).toBe(digest(SMALL));
    expect(digest({ ...SMALL, seed: 43 })).not.toBe(digest(SMALL));
  });

  it("yields exactly countRows() rows: round(runsPerDay × days)", () => {
    expect(big.length).toBe(countRows(BIG));
    expect(big.length).toBe(45 * 4000);
    expect(countRows({ ...SMALL, runsPerDay: 333.4 })).toBe(1000);
  });

  it("is chronological, within the requested days, and never after end", () => {
    const endText = pbTime(END);
    const unordered = big.filter((r, i) => i > 0 && big[i - 1]!.created > r.created);
    expect(unordered.slice(0, 3)).toEqual([]);
    expect(big[0]!.created.slice(0, 10)).toBe("2026-01-30"); // 45 UTC days ending 2026-03-15
    const future = big.filter((r) => !(r.created < endText && r.updated <= endText && r.updated >= r.created));
    expect(future.slice(0, 3)).toEqual([]);
  });

  it("fills the last day only up to end's time", () => {
    const lastDay = big.filter((r) => r.created.startsWith("2026-03-15"));
    const dayBefore = big.filter((r) => r.created.startsWith("2026-03-14"));
    expect(lastDay.length).toBeGreaterThan(0);
    expect(lastDay.length).toBeLessThan(dayBefore.length);
  });

  it("keeps every column within the schema's sets and formats", () => {
    const statuses = new Set<string>(ACCEPTED_STATUSES);
    const invalid = big.filter(
      (r) =>
        !statuses.has(r.status) ||
        !["lxc", "vm", "addon", "pve"].includes(r.type) ||
        r.ct_type !== (r.type === "vm" ? 2 : r.type === "lxc" && r.ct_type === 1 ? 1 : 0) ||
        !(Number.isInteger(r.exit_code) && r.exit_code >= 0 && r.exit_code <= 255) ||
        !/^[a-z0-9]{15}$/.test(r.id) ||
        !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.random_id) ||
        !PB_TIME.test(r.created) ||
        !PB_TIME.test(r.updated),
    );
    expect(invalid.slice(0, 3)).toEqual([]);
    expect(new Set(big.map((r) => r.id)).size).toBe(big.length);
    // One row per run: a session id per records-API run, an execution id per attempt since
    // (a retry shares its session's random_id, see "today's protocol" below).
    expect(new Set(big.map((r) => r.execution_id || r.random_id)).size).toBe(big.length);
    const lxc = big.filter((r) => r.type === "lxc");
    expect(share(lxc, (r) => r.ct_type === 1)).toBeCloseTo(0.96, 1);
  });

  it("explains failures with the code's message on that day, and leaves other rows blank", () => {
    // Today's scripts send a trace that starts with the code and its explanation.
    const explained = (r: TelemetryRow) => (r.execution_id ? `exit_code=${r.exit_code} | ${explainExitCode(r.exit_code, r.created)}` : explainExitCode(r.exit_code, r.created));
    const noVerdict = (r: TelemetryRow) => r.execution_id !== "" && r.status === "unknown" && r.error !== ""; // "failed" with 0
    const wrong = big.filter((r) => (r.status === "failed" || r.status === "aborted" || noVerdict(r) ? !r.error.startsWith(explained(r)) : r.error !== "" || r.exit_code !== 0));
    expect(wrong.slice(0, 3)).toEqual([]);
    const abortCodes = new Set(big.filter((r) => r.status === "aborted").map((r) => r.exit_code));
    expect([...abortCodes].sort()).toEqual([129, 130, 143]);
    expect(big.some((r) => r.status === "failed" && r.exit_code === 0)).toBe(true);
    expect(big.some((r) => r.status === "failed" && r.exit_code === 130)).toBe(true); // older scripts
  });

  it("has an overall failure share of about 1–3 %", () => {
    const failed = share(big, (r) => r.status === "failed");
    expect(failed).toBeGreaterThan(0.01);
    expect(failed).toBeLessThan(0.03);
  });

  it("places the seeded events relative to the end", () => {
    const truth = new Map(eventTruth(END).map((t) => [t.id, t]));
    expect(truth.get("jellyfin-apt")).toMatchObject({ apps: ["jellyfin"], start: "2026-02-23", last: "2026-02-27", exitCode: 100, trait: null });
    expect(truth.get("nginxproxymanager-pve92")).toMatchObject({ start: "2026-03-06", last: "2026-03-09", trait: { family: "pve", key: "9.2" } });
    expect(truth.get("alpine-324")).toMatchObject({ trait: { family: "os", key: "alpine 3.24" } });
    expect(truth.get("immich-oom")).toMatchObject({ start: "2026-03-12", last: null });
    expect(truth.get("github-http-22")).toMatchObject({ kind: "incident", start: "2026-03-14 14", last: "2026-03-14 18", exitCode: 22 });
    expect(truth.get("github-http-22")!.apps.length).toBeGreaterThanOrEqual(5);
  });

  const day = (r: TelemetryRow) => r.created.slice(0, 10);
  const rate = (rows: TelemetryRow[]) => share(rows, (r) => r.status === "failed");
  const regressions = DEMO_EVENTS.filter((e): e is RegressionEvent => e.kind === "regression");
  const truths = new Map(eventTruth(END).map((t) => [t.id, t]));
  const affected = (e: RegressionEvent, r: TelemetryRow) =>
    !e.only || ("pveMinor" in e.only ? r.pve_version.startsWith(`${e.only.pveMinor}.`) : r.os_type === e.only.os && r.os_version === e.only.osVersion);

  for (const e of regressions) {
    it(`shows regression ${e.id}: the app fails far more inside its window (and its trait), mostly with its code`, () => {
      const t = truths.get(e.id)!;
      const inWindow = (r: TelemetryRow) => day(r) >= t.start && (t.last === null || day(r) <= t.last);
      const app = big.filter((r) => r.nsapp === e.nsapp);
      const inside = app.filter((r) => inWindow(r) && affected(e, r));
      const outside = app.filter((r) => !inWindow(r));
      expect(inside.length).toBeGreaterThan(60);
      expect(rate(inside)).toBeGreaterThan(e.failureRate * 0.6);
      expect(rate(inside)).toBeGreaterThan(3 * rate(outside));
      expect(
        share(
          inside.filter((r) => r.status === "failed"),
          (r) => r.exit_code === e.exitCode,
        ),
      ).toBeGreaterThan(0.6);
      const spared = app.filter((r) => inWindow(r) && !affected(e, r));
      if (e.only) expect(rate(spared)).toBeLessThan(0.05); // only the trait fails
    });
  }

  it("shows the incident: its apps fail with its code in its hours, other apps do not", () => {
    const t = truths.get("github-http-22")!;
    const inHours = (r: TelemetryRow) => r.created.slice(0, 13).replace("T", " ") >= t.start && r.created.slice(0, 13) <= t.last!;
    const hit = big.filter((r) => inHours(r) && r.status === "failed" && r.exit_code === 22);
    const perApp = new Map<string, number>();
    for (const r of hit) perApp.set(r.nsapp, (perApp.get(r.nsapp) ?? 0) + 1);
    expect([...perApp].filter(([app, n]) => t.apps.includes(app) && n >= 2).length).toBeGreaterThanOrEqual(5);
    expect(hit.filter((r) => !t.apps.includes(r.nsapp)).length).toBeLessThan(3);
  });

  it("with only the ongoing events (live traffic), past regressions do not repeat", () => {
    const rows = [...generateRows({ ...BIG, days: 25, events: ONGOING_EVENTS })];
    const jellyfin = truths.get("jellyfin-apt")!;
    const during = rows.filter((r) => r.nsapp === "jellyfin" && day(r) >= jellyfin.start && day(r) <= jellyfin.last!);
    expect(rate(during)).toBeLessThan(0.08);
    const immich = rows.filter((r) => r.nsapp === "immich" && day(r) >= truths.get("immich-oom")!.start);
    expect(rate(immich)).toBeGreaterThan(0.15);
  });

  it("has a heavy-tailed popularity with the expected leaders", () => {
    const counts = new Map<string, number>();
    for (const r of big) counts.set(r.nsapp, (counts.get(r.nsapp) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const top30 = ranked.slice(0, 30).reduce((s, [, n]) => s + n, 0) / big.length;
    expect(top30).toBeGreaterThan(0.5);
    expect(ranked.slice(0, 5).map(([app]) => app)).toContain("docker");
    expect(counts.size).toBeGreaterThan(300);
  });

  it("has both status spellings (sucess the majority before today's protocol) and runs still installing", () => {
    const older = big.filter((r) => !r.execution_id);
    const sucess = share(older, (r) => r.status === "sucess");
    const success = share(older, (r) => r.status === "success");
    expect(success).toBeGreaterThan(0.02);
    expect(sucess).toBeGreaterThan(success);
    const installing = big.filter((r) => r.status === "installing");
    expect(installing.length).toBeGreaterThan(0);
    expect(installing.every((r) => r.updated === r.created)).toBe(true);
    const lastHour = pbTime(new Date(END.getTime() - 3_600_000));
    expect(installing.some((r) => r.created >= lastHour)).toBe(true); // naturally still running
    expect(installing.some((r) => r.created < "2026-03-01")).toBe(true); // stuck for good
    expect(big.some((r) => r.status === "unknown")).toBe(true);
  });

  it("spreads runs over the day with fewer at night UTC and more at weekends", () => {
    const hour = (h: number) => share(big, (r) => Number(r.created.slice(11, 13)) === h);
    expect(hour(3)).toBeLessThan(hour(17) / 2);
    const perWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const r of big.filter((r) => r.created < "2026-03-15")) {
      const day = new Date(r.created.slice(0, 10)).getUTCDay();
      perWeekday[day] = (perWeekday[day] ?? 0) + 1;
    }
    expect(perWeekday[6]!).toBeGreaterThan(perWeekday[2]!); // Saturday vs Tuesday
  });

  it("rejects bad options", () => {
    expect(() => countRows({ ...SMALL, days: 0 })).toThrow(RangeError);
    expect(() => countRows({ ...SMALL, runsPerDay: -1 })).toThrow(RangeError);
    expect(() => countRows({ ...SMALL, end: new Date("nope") })).toThrow(RangeError);
  });
});

describe("pbTimestamp", () => {
  it("matches PocketBase's format (lib/time.ts pbTime) across days", () => {
    for (let ms = Date.UTC(2025, 11, 31, 23, 59, 0); ms < Date.UTC(2026, 0, 1, 0, 1, 0); ms += 7_777) {
      expect(pbTimestamp(ms)).toBe(pbTime(new Date(ms)));
    }
    expect(pbTimestamp(Date.UTC(2026, 0, 1) + 0.7)).toBe("2026-01-01 00:00:00.000Z"); // fractions truncate
  });
});
