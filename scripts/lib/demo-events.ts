/**
 * The demo's seeded events: the truth the insights (lib/insights) must find. Every date is
 * relative to the generated data's end, so every demo, the end-to-end data (30 days at 3,000
 * runs a day) and the 90-day demo show them all. Sized to be found at 3,000 runs a day:
 *
 * | id | what | when (relative to end's UTC day) | size at 3,000 runs/day |
 * |---|---|---|---|
 * | docker-apt | docker (most popular) fails at 6 % instead of ~1 %, APT config error 101 | days −26…−23 | small: ~65 excess failures on ~1,300 runs |
 * | jellyfin-apt | jellyfin at 35 %, APT error 100 (a broken upstream repository) | days −20…−16 | large: ~130 excess |
 * | vaultwarden-download | vaultwarden at 25 %, download failed 250 | days −13…−11 | medium, short: ~30 excess |
 * | nginxproxymanager-pve92 | nginxproxymanager fails 60 % **on PVE 9.2 hosts only**, service 150 | days −9…−6 | ~55 excess, one PVE version |
 * | alpine-324 | alpine fails 70 % **on Alpine 3.24 only** (its default), command not found 127 | days −8…−5 | ~55 excess, one OS version |
 * | immich-oom | immich at 35 %, Node.js heap OOM 243 — **still open** at the end | day −3 … end | ~50 excess and growing |
 * | github-http-22 | **incident**: 8 apps that download from GitHub fail 80 % with HTTP error 22 | day −1, 14:00–18:59 UTC | ~60 failures, in the hourly window |
 *
 * jellyfin-apt, vaultwarden-download and immich-oom also name the command their failures fail at
 * (`command`): the app page's failing commands and the regression's cause show it from the
 * event's first day, in place of the app's usual one.
 *
 * Every other app is healthy: its own constant failure rate and ordinary binomial noise.
 * The incident sits at 14–19 UTC (busy hours) of the day before the end's day, so it is always
 * 5–34 hours old at the end: inside the 72-hour hourly rollups, and never in the night's trough.
 */
import { DAY_MS } from "../../lib/time";

export interface RegressionEvent {
  kind: "regression";
  id: string;
  nsapp: string;
  /** First day, as an offset from the end's UTC day (−20: twenty days before). */
  startDay: number;
  /** Length in days; null: still going on at the end. */
  days: number | null;
  /** Failure probability of affected runs (replaces the app's own rate). */
  failureRate: number;
  exitCode: number;
  /** Only runs with this environment are affected (the trait the insights should name). */
  only?: { pveMinor: string } | { os: string; osVersion: string };
  /**
   * The command its failures with `exitCode` fail at, as the scripts report it (raw: the server
   * normalises it), where they report one (today's protocol, the last NEW_PROTOCOL_DAYS days).
   */
  command?: { line: number; command: string };
}

export interface IncidentEvent {
  kind: "incident";
  id: string;
  apps: readonly string[];
  /** UTC hour on the day before the end's day when it starts, and how many hours it lasts. */
  startHour: number;
  hours: number;
  failureRate: number;
  exitCode: number;
}

export type DemoEvent = RegressionEvent | IncidentEvent;

export const DEMO_EVENTS: readonly DemoEvent[] = [
  { kind: "regression", id: "docker-apt", nsapp: "docker", startDay: -26, days: 4, failureRate: 0.06, exitCode: 101 },
  {
    kind: "regression",
    id: "jellyfin-apt",
    nsapp: "jellyfin",
    startDay: -20,
    days: 5,
    failureRate: 0.35,
    exitCode: 100,
    command: { line: 42, command: "$STD apt-get install -y jellyfin=10.11.2+deb13 jellyfin-ffmpeg7" },
  },
  {
    kind: "regression",
    id: "vaultwarden-download",
    nsapp: "vaultwarden",
    startDay: -13,
    days: 3,
    failureRate: 0.25,
    exitCode: 250,
    command: { line: 31, command: "curl -fsSL https://api.github.com/repos/dani-garcia/vaultwarden/releases/latest" },
  },
  {
    kind: "regression",
    id: "nginxproxymanager-pve92",
    nsapp: "nginxproxymanager",
    startDay: -9,
    days: 4,
    failureRate: 0.6,
    exitCode: 150,
    only: { pveMinor: "9.2" },
  },
  { kind: "regression", id: "alpine-324", nsapp: "alpine", startDay: -8, days: 4, failureRate: 0.7, exitCode: 127, only: { os: "alpine", osVersion: "3.24" } },
  {
    kind: "regression",
    id: "immich-oom",
    nsapp: "immich",
    startDay: -3,
    days: null,
    failureRate: 0.35,
    exitCode: 243,
    command: { line: 131, command: "NODE_OPTIONS=--max-old-space-size=4096 $STD pnpm --filter immich-server build" },
  },
  {
    kind: "incident",
    id: "github-http-22",
    apps: ["adguard", "plex", "paperless-ngx", "uptimekuma", "homepage", "zigbee2mqtt", "node-red", "cloudflared"],
    startHour: 14,
    hours: 5,
    failureRate: 0.8,
    exitCode: 22,
  },
];

/** Events still going on at the end: what live demo traffic keeps doing after the seed. */
export const ONGOING_EVENTS: readonly DemoEvent[] = DEMO_EVENTS.filter((e) => e.kind === "regression" && e.days === null);

/** An event placed in time for one end: [startMs, endMs), endMs = Infinity while open. */
export interface PlacedEvent {
  event: DemoEvent;
  startMs: number;
  endMs: number;
}

export function placeEvents(events: readonly DemoEvent[], end: Date): PlacedEvent[] {
  const endDayMs = Math.floor(end.getTime() / DAY_MS) * DAY_MS;
  return events.map((event) => {
    if (event.kind === "incident") {
      const startMs = endDayMs - DAY_MS + event.startHour * 3_600_000;
      return { event, startMs, endMs: startMs + event.hours * 3_600_000 };
    }
    const startMs = endDayMs + event.startDay * DAY_MS;
    return { event, startMs, endMs: event.days === null ? Infinity : startMs + event.days * DAY_MS };
  });
}

/** What the insights should report for an event: its app(s), buckets, code and trait. */
export interface EventTruth {
  id: string;
  kind: DemoEvent["kind"];
  apps: readonly string[];
  /** First and last bucket: days ("YYYY-MM-DD") for regressions, hours ("YYYY-MM-DD HH") for the incident; last null while open. */
  start: string;
  last: string | null;
  exitCode: number;
  /** The trait a maintainer should be told about, as lib/insights/trait-counts.ts keys it. */
  trait: { family: "pve" | "os"; key: string } | null;
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hourText = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace("T", " ");

export function eventTruth(end: Date, events: readonly DemoEvent[] = DEMO_EVENTS): EventTruth[] {
  return placeEvents(events, end).map(({ event, startMs, endMs }) => {
    if (event.kind === "incident") {
      return { id: event.id, kind: event.kind, apps: event.apps, start: hourText(startMs), last: hourText(endMs - 1), exitCode: event.exitCode, trait: null };
    }
    const only = event.only;
    const trait = !only ? null : "pveMinor" in only ? { family: "pve" as const, key: only.pveMinor } : { family: "os" as const, key: `${only.os} ${only.osVersion}` };
    return {
      id: event.id,
      kind: event.kind,
      apps: [event.nsapp],
      start: dayText(startMs),
      last: endMs === Infinity ? null : dayText(endMs - 1),
      exitCode: event.exitCode,
      trait,
    };
  });
}
