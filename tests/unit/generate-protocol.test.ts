/**
 * The demo data's recent days in today's protocol (scripts/lib/generate-protocol.ts), and the
 * installer events that produce them (scripts/lib/installer-events.ts): replayed through the
 * ingest logic (pocketbase/pb_hooks/telemetry-ingest.cjs), every run's events store that run.
 */
import { describe, expect, it } from "vitest";
import ingest from "../../pocketbase/pb_hooks/telemetry-ingest.cjs";
import { generateRows, type GenerateOptions, type TelemetryRow } from "../../scripts/lib/generate";
import { NEW_PROTOCOL_DAYS } from "../../scripts/lib/generate-protocol";
import { eventsOf } from "../../scripts/lib/installer-events";
import { INGEST_COLUMNS_EMPTY } from "../../scripts/lib/telemetry-row";

const END = new Date("2026-03-15T13:45:00.000Z");
const OPTS: GenerateOptions = { seed: 11, days: 30, runsPerDay: 3000, end: END };
const rows = [...generateRows(OPTS)];
const cutover = new Date(Math.floor(END.getTime() / 86_400_000 - (NEW_PROTOCOL_DAYS - 1)) * 86_400_000).toISOString().slice(0, 10);
const today = rows.filter((r) => r.execution_id !== "");
const older = rows.filter((r) => r.execution_id === "");
const ms = (t: string) => Date.parse(t.replace(" ", "T"));

/** A new row's columns before any value is set (PocketBase stores '' and 0, never NULL). */
const EMPTY = { ...INGEST_COLUMNS_EMPTY, ct_type: 0, disk_size: 0, core_count: 0, ram_size: 0, os_type: "", os_version: "", pve_version: "", method: "", error: "", exit_code: 0 };

/** Stores events as POST /telemetry does, in memory: one run per execution id. */
function replay(events: { atMs: number; body: string }[]) {
  const runs = new Map<string, Record<string, unknown>>();
  for (const e of events.sort((a, b) => a.atMs - b.atMs)) {
    const decoded = ingest.decode(e.body);
    if (decoded.error !== undefined) throw new Error(decoded.error);
    const checked = ingest.normalize(decoded.fields);
    if (checked.error !== undefined) throw new Error(checked.error);
    const stored = runs.get(checked.event.key) ?? null;
    const plan = ingest.merge(stored, checked.event, e.atMs);
    if (plan.action === "create") runs.set(checked.event.key, { ...EMPTY, ...plan.values, created: plan.created });
    else if (plan.action === "update") Object.assign(stored!, plan.values);
  }
  return runs;
}

describe("today's protocol in the demo data", () => {
  it("switches on one day: older days as the records API stored them, the last days as POST /telemetry does", () => {
    expect(older.every((r) => r.created.slice(0, 10) < cutover)).toBe(true);
    expect(today.every((r) => r.created.slice(0, 10) >= cutover)).toBe(true);
    expect(older.length).toBeGreaterThan(0);
    expect(today.length).toBeGreaterThan(0);
    // Older rows keep every newer column empty.
    expect(older.filter((r) => Object.entries(INGEST_COLUMNS_EMPTY).some(([k, v]) => r[k as keyof TelemetryRow] !== v)).slice(0, 2)).toEqual([]);
  });

  it("stores the statuses the server stores: success spelled right, user interrupts aborted, failed with 0 unknown", () => {
    expect(today.some((r) => r.status === "sucess")).toBe(false);
    expect(today.some((r) => r.status === "failed" && [0, 129, 130, 143].includes(r.exit_code))).toBe(false);
    expect(today.some((r) => r.status === "unknown" && r.error.startsWith("exit_code=0 |"))).toBe(true);
    expect(today.filter((r) => r.status === "aborted").every((r) => r.error_category === "user_aborted")).toBe(true);
    expect(today.filter((r) => r.status === "failed").every((r) => /^exit_code=\d+ \| .+ \| at line \d+: .+\n---\n/.test(r.error) && r.error_category !== "")).toBe(true);
  });

  it("retries some failures as new executions of the same session, after the failed attempt ended", () => {
    const bySession = new Map<string, TelemetryRow[]>();
    for (const r of today) bySession.set(r.random_id, [...(bySession.get(r.random_id) ?? []), r]);
    const retried = [...bySession.values()].filter((runs) => runs.length > 1);
    expect(retried.length).toBeGreaterThan(5);
    for (const [first, retry] of retried) {
      expect(first!.status).toBe("failed");
      expect(first!.execution_id).toBe(first!.random_id); // the scripts' first attempt
      expect(retry!.execution_id).not.toBe(retry!.random_id);
      expect(retry!.created > first!.updated).toBe(true);
      expect(retry!.nsapp).toBe(first!.nsapp);
      if ([137, 243].includes(first!.exit_code)) expect(retry!.ram_size).toBe(first!.ram_size * 2);
    }
    expect(retried.some(([, retry]) => retry!.status === "success")).toBe(true);
  });

  it("has durations by app and resources, phases, hosts and repositories", () => {
    const finished = today.filter((r) => r.status !== "installing");
    expect(finished.every((r) => Math.abs(r.install_duration - (ms(r.updated) - ms(r.created)) / 1000) <= 1)).toBe(true);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const docker = finished.filter((r) => r.nsapp === "docker" && r.status === "success");
    const few = median(docker.filter((r) => r.core_count <= 2).map((r) => r.install_duration));
    const many = median(docker.filter((r) => r.core_count >= 4).map((r) => r.install_duration));
    expect(many).toBeLessThan(few);
    const share = (test: (r: TelemetryRow) => boolean, of = today) => of.filter(test).length / of.length;
    expect(share((r) => r.phase === "configuring")).toBeGreaterThan(0.5);
    expect(share((r) => r.phase === "validation")).toBeGreaterThan(0);
    expect(share((r) => r.type === "pve" && r.phase !== "")).toBe(0);
    const hosts = today.filter((r) => r.type === "lxc" || r.type === "vm");
    expect(share((r) => r.cpu_vendor === "intel", hosts)).toBeGreaterThan(0.4);
    expect(share((r) => r.cpu_vendor === "amd", hosts)).toBeGreaterThan(0.2);
    expect(share((r) => r.gpu_passthrough === "dgpu", hosts)).toBeGreaterThan(0.02);
    expect(share((r) => r.has_arm && r.arch === "arm64", hosts)).toBeGreaterThan(0);
    expect(share((r) => r.repo_source === "ProxmoxVED")).toBeGreaterThan(0.01);
    expect(share((r) => r.repo_source === "external" && !r.repo_slug.startsWith("community-scripts/"))).toBeGreaterThan(0.005);
  });

  it("is what the scripts' events store: each run's events, replayed through the ingest logic, give the run", () => {
    const sample = today.filter((_, i) => i % 7 === 0);
    // A lost start (no `installing`): the run is created by its next event. Not for runs whose
    // next event is the container's ping: that one-line payload carries no duration, so such a
    // run is dated at the ping.
    const lost = (r: TelemetryRow, i: number) => r.status !== "installing" && r.phase !== "configuring" && i % 5 === 0;
    const events = sample.flatMap((r, i) => eventsOf(r, { lostStart: lost(r, i), resend: i % 11 === 0 }));
    const runs = replay(events);
    expect(runs.size).toBe(sample.length);
    const mismatched = sample.filter((r, i) => {
      const got = runs.get(r.execution_id)!;
      const { id: _id, created, updated: _updated, ...rest } = r;
      const want = { ...rest, phase: lost(r, i) && r.phase === "installing" ? "" : r.phase }; // no progress event seen
      return Math.abs((got.created as number) - ms(created)) > 1000 || Object.entries(want).some(([k, v]) => got[k] !== v);
    });
    expect(mismatched.slice(0, 2).map((r) => ({ want: r, got: runs.get(r.execution_id) }))).toEqual([]);
  });
});
