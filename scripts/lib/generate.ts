/**
 * Deterministic demo telemetry: `generateRows` streams realistic `_dev_telemetry_data` rows in
 * `created` order, and the same options always give byte-identical rows (one seeded sfc32
 * stream, no clock, no Math.random). Memory is constant: rows are made one at a time, and each
 * day's timestamps come out already sorted (sequential order statistics), so nothing is buffered.
 *
 * Shapes (see demo-model.ts and ../shared/reference/TELEMETRY.md): Zipf app popularity, a
 * daily/weekly rhythm with slow growth, per-app failure rates with a few broken apps, seeded
 * regressions and a cross-app incident (demo-events.ts), stuck and cleaned-up runs, and both
 * status spellings. The last NEW_PROTOCOL_DAYS days are stored as today's scripts report
 * (generate-protocol.ts: execution ids and retries, phases, durations, hardware, repositories).
 */
import { explainExitCode } from "../../lib/exit-codes";
import { DEMO_EVENTS, placeEvents, type DemoEvent, type IncidentEvent, type PlacedEvent, type RegressionEvent } from "./demo-events";
import {
  abortReportShare,
  buildApps,
  buildFailureCodes,
  debian12Share,
  METHODS,
  newScriptShare,
  CORE_BOUND_APP,
  osFor,
  pveVersionsAt,
  resourcesFor,
  SLOW_APP,
  type DemoApp,
} from "./demo-model";
import { type FailingCommand, NEW_PROTOCOL_DAYS, olderProtocolGpuFailure, retryRun, todaysRun, uuid4 } from "./generate-protocol";
import { AliasTable, hashString32, nameUnit, Rng } from "./prng";
import { INGEST_COLUMNS_EMPTY, type TelemetryRow, type TelemetryStatus } from "./telemetry-row";
import { DAY_MS } from "../../lib/time";
import { dayClock, planDays, pbTimestamp, validateOptions, type GenerateOptions } from "./generate-time";

export type { GenerateOptions };
export type { TelemetryRow };

/** Exactly how many rows generateRows(opts) yields: round(runsPerDay × days). */
export function countRows(opts: GenerateOptions): number {
  return planDays(validateOptions(opts)).reduce((sum, d) => sum + d.count, 0);
}

const STUCK_RATE = 0.02; // runs that never report back (network lost, Ctrl-C before the trap, host died)
const ABORT_RATE = 0.006; // user interrupts
const SCRIPT_UNKNOWN_RATE = 0.0015; // the script's "anything else → unknown"
const FAILED_WITH_ZERO = 0.03; // failures reported with exit code 0
const CLEANUP_AFTER_DAYS = 7; // the upstream cleanup job moved some stuck runs to `unknown`
const CLEANUP_SHARE = 0.45;
const LXC_UNPRIVILEGED = 0.96;
const MINUTE = 60_000;

/** Everything that is fixed for one generated day (computed once, not per row). */
interface DayContext {
  day: string;
  ageDays: number;
  /** Runs of this day report through POST /telemetry (today's protocol). */
  today: boolean;
  newScripts: number;
  /** Share of runs whose scripts report interrupts as aborted (≥ newScripts). */
  abortReports: number;
  deb12: number;
  pve: AliasTable<string>;
  /** Regressions going on this day, by app. */
  regressions: ReadonlyMap<string, readonly RegressionEvent[]>;
  /** Incidents overlapping this day, with their apps. */
  incidents: readonly { placed: PlacedEvent; event: IncidentEvent; apps: ReadonlySet<string> }[];
}

/** A run's environment, as far as events care. */
interface RunEnv {
  pveVersion: string;
  os: string;
  osVersion: string;
  createdMs: number;
}

interface Model {
  apps: AliasTable<DemoApp>;
  codes: AliasTable<number>;
  endMs: number;
}

export function* generateRows(options: GenerateOptions): Generator<TelemetryRow> {
  const opts = validateOptions(options);
  const rng = new Rng(streamSeed(opts));
  const { apps, weights } = buildApps();
  const model: Model = { apps: new AliasTable(apps, weights), codes: buildFailureCodes(), endMs: opts.end.getTime() };
  const placed = placeEvents(opts.events ?? DEMO_EVENTS, opts.end);
  // Today's protocol draws from a stream of its own: the older columns stay what they were.
  const side = new Rng(streamSeed(opts) ^ 0x5eed1e55);
  const retries: { atMs: number; failed: TelemetryRow }[] = [];
  for (const plan of planDays(opts)) {
    const day = new Date(plan.startMs).toISOString().slice(0, 10);
    const ageDays = (model.endMs - plan.startMs) / DAY_MS;
    const ctx: DayContext = {
      day,
      ageDays,
      today: ageDays < NEW_PROTOCOL_DAYS,
      newScripts: newScriptShare(ageDays),
      abortReports: abortReportShare(ageDays),
      deb12: debian12Share(ageDays),
      pve: pveVersionsAt(ageDays),
      ...eventsOfDay(placed, plan.startMs),
    };
    const clock = dayClock(plan);
    // Sorted uniforms in [0, 1) one by one: the next minimum of the remaining n−k points.
    let p = 0;
    for (let k = 0; k < plan.count; k++) {
      p += (1 - p) * -Math.expm1(Math.log(rng.nextOpen()) / (plan.count - k));
      const createdMs = clock(p);
      const run = makeRow(rng, model, ctx, createdMs);
      if (!ctx.today) {
        yield olderProtocolGpuFailure(run.row);
        continue;
      }
      // A retry due by now takes this run's place (its draws are spent all the same).
      if (retries.length && retries[0]!.atMs <= createdMs) {
        yield retryRun(side, retries.shift()!.failed, run.row, model.endMs);
        continue;
      }
      // Nobody runs the upstream cleanup job here: a run that never reported stays installing.
      if (run.stuck) Object.assign(run.row, { status: "installing", updated: run.row.created });
      const today = todaysRun(side, run.row, createdMs, run.durationMs, model.endMs, placedCommand(ctx, run.row));
      if (today.retryAtMs !== null) {
        retries.push({ atMs: today.retryAtMs, failed: today.row });
        retries.sort((a, b) => a.atMs - b.atMs);
      }
      yield today.row;
    }
  }
}

/** The events going on during the UTC day starting at dayMs. */
function eventsOfDay(placed: readonly PlacedEvent[], dayMs: number): Pick<DayContext, "regressions" | "incidents"> {
  const regressions = new Map<string, RegressionEvent[]>();
  const incidents: DayContext["incidents"][number][] = [];
  for (const p of placed) {
    if (p.startMs >= dayMs + DAY_MS || p.endMs <= dayMs) continue;
    if (p.event.kind === "regression") regressions.set(p.event.nsapp, [...(regressions.get(p.event.nsapp) ?? []), p.event]);
    else incidents.push({ placed: p, event: p.event, apps: new Set(p.event.apps) });
  }
  return { regressions, incidents };
}

/** The failing command a regression of this run's app and exit code places (demo-events.ts), if any. */
function placedCommand(ctx: DayContext, row: TelemetryRow): FailingCommand | null {
  const event = (ctx.regressions.get(row.nsapp) ?? []).find((e) => e.exitCode === row.exit_code && e.command);
  return event?.command ?? null;
}

/** The event that decides this run's failure odds and code, if any. */
function activeEvent(ctx: DayContext, app: DemoApp, env: RunEnv): DemoEvent | null {
  for (const e of ctx.regressions.get(app.nsapp) ?? []) {
    const only = e.only;
    if (!only) return e;
    if ("pveMinor" in only ? env.pveVersion.startsWith(`${only.pveMinor}.`) : env.os === only.os && env.osVersion === only.osVersion) return e;
  }
  for (const i of ctx.incidents) {
    if (i.apps.has(app.nsapp) && env.createdMs >= i.placed.startMs && env.createdMs < i.placed.endMs) return i.event;
  }
  return null;
}

/**
 * The stream depends on every option, not just the seed: seeding one data dir twice with the
 * same seed but another size or end gives fresh ids instead of colliding on random_id.
 */
function streamSeed(opts: GenerateOptions): number {
  return hashString32(`${opts.seed}|${opts.days}|${opts.runsPerDay}|${opts.end.getTime()}`);
}

type Outcome = { status: TelemetryStatus; code: number; durationFactor: number } | "stuck";

/** What happened to one run (before the clock decides whether it is still running). */
function drawOutcome(rng: Rng, model: Model, ctx: DayContext, app: DemoApp, env: RunEnv): Outcome {
  if (rng.chance(STUCK_RATE)) return "stuck";
  // One draw places the run's scripts on both scales (newScripts ≤ abortReports).
  const age = rng.next();
  const newScript = age < ctx.newScripts;
  if (rng.chance(ABORT_RATE)) {
    // Newer scripts report aborts as such; older ones as a failure with 130 (SIGINT).
    const u = rng.next();
    if (age >= ctx.abortReports) return { status: "failed", code: 130, durationFactor: 0.5 };
    return { status: "aborted", code: u < 0.7 ? 130 : u < 0.85 ? 143 : 129, durationFactor: 0.5 };
  }
  const event = activeEvent(ctx, app, env);
  if (rng.chance(event ? event.failureRate : app.failRate)) {
    return { status: "failed", code: failureCode(rng, model, app, event), durationFactor: 0.6 };
  }
  if (rng.chance(SCRIPT_UNKNOWN_RATE)) return { status: "unknown", code: 0, durationFactor: 1 };
  return { status: newScript ? "success" : "sucess", code: 0, durationFactor: 1 };
}

function failureCode(rng: Rng, model: Model, app: DemoApp, event: DemoEvent | null): number {
  if (rng.chance(FAILED_WITH_ZERO)) return 0;
  if (event && rng.chance(0.85)) return event.exitCode;
  if (app.signatureCode !== null && rng.chance(0.6)) return app.signatureCode;
  return model.codes.sample(rng);
}

/**
 * Run length: minutes, log-normal; VMs take longer, host tools and addons less; each app has
 * its own typical length (builds take longer than a package install) and more cores are faster
 * (CORE_BOUND_APP much slower on one core).
 */
function durationMs(rng: Rng, app: DemoApp, factor: number, cores: number): number {
  const slow = app.nsapp === SLOW_APP.nsapp;
  const median = slow ? SLOW_APP.medianMinutes : (app.type === "vm" ? 6 : app.type === "lxc" ? 4 : 1.5) * (0.5 + 2.5 * nameUnit(app.nsapp, 4) ** 2);
  const speed = (cores > 0 && !slow ? (2 / cores) ** 0.35 : 1) * (app.nsapp === CORE_BOUND_APP.nsapp && cores === CORE_BOUND_APP.cores ? CORE_BOUND_APP.factor : 1);
  const minutes = median * speed * factor * Math.exp(0.7 * rng.normal());
  return Math.round(Math.min(55, Math.max(0.3, minutes)) * MINUTE);
}

/** One run from the main stream: the row, whether it never reported back, and its length. */
function makeRow(rng: Rng, model: Model, ctx: DayContext, createdMs: number): { row: TelemetryRow; stuck: boolean; durationMs: number } {
  const app = model.apps.sample(rng);
  const method = METHODS.sample(rng);
  const pveVersion = ctx.pve.sample(rng);
  const [os, osVersion] = osFor(app, pveVersion, ctx.deb12, rng);
  const [cores, ram, disk] = resourcesFor(app, method, rng);
  const created = pbTimestamp(createdMs);
  const outcome = drawOutcome(rng, model, ctx, app, { pveVersion, os, osVersion, createdMs });
  const duration = durationMs(rng, app, outcome === "stuck" ? 1 : outcome.durationFactor, cores);
  const row: TelemetryRow = {
    id: recordId(rng),
    random_id: uuid4(rng),
    type: app.type,
    ct_type: app.type === "vm" ? 2 : app.type === "lxc" && rng.chance(LXC_UNPRIVILEGED) ? 1 : 0,
    nsapp: app.nsapp,
    status: "installing",
    disk_size: disk,
    core_count: cores,
    ram_size: ram,
    os_type: os,
    os_version: osVersion,
    pve_version: pveVersion,
    method,
    error: "",
    exit_code: 0,
    created,
    updated: created,
    ...INGEST_COLUMNS_EMPTY,
  };
  if (outcome === "stuck") return { row: cleanedUp(rng, model, row, createdMs), stuck: true, durationMs: duration };
  // A run whose end lies after `end` is still installing: that is how the last minutes look.
  if (createdMs + duration > model.endMs) return { row, stuck: false, durationMs: duration };
  row.status = outcome.status;
  row.exit_code = outcome.code;
  if (outcome.status === "failed" || outcome.status === "aborted") row.error = explainExitCode(outcome.code, ctx.day);
  row.updated = pbTimestamp(createdMs + duration);
  return { row, stuck: false, durationMs: duration };
}

/** A run that never reported: still `installing`, unless the cleanup job later marked it `unknown`. */
function cleanedUp(rng: Rng, model: Model, row: TelemetryRow, createdMs: number): TelemetryRow {
  const cleanupCall = rng.chance(CLEANUP_SHARE);
  const after = Math.round(DAY_MS * (1 + 2 * rng.next()));
  if (createdMs < model.endMs - CLEANUP_AFTER_DAYS * DAY_MS && cleanupCall) {
    row.status = "unknown";
    row.updated = pbTimestamp(createdMs + after);
  }
  return row;
}

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const ID_BLOCK = 36 ** 5; // five base-36 digits per 32-bit draw

/** PocketBase-style record id: 15 chars of [a-z0-9]. */
function recordId(rng: Rng): string {
  let id = "";
  for (let block = 0; block < 3; block++) {
    let x = rng.u32() % ID_BLOCK;
    for (let i = 0; i < 5; i++) {
      id += ID_CHARS[x % 36];
      x = Math.floor(x / 36);
    }
  }
  return id;
}
