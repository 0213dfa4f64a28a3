/**
 * The events today's install scripts send for one run (community-scripts misc/api.func, "v3
 * single reporter"): the bodies POSTed to $TELEMETRY_URL, in order, with when they are sent.
 * Given a stored row of today's protocol (generate-protocol.ts), they are what produced it —
 * replaying them through POST /telemetry stores that row again. Used by the demo's live traffic,
 * the ingest benchmark and the tests.
 *
 *  - LXC: the host's `installing` (post_to_api, the full payload), the container's `configuring`
 *    ping (install.func: a one-line payload of a few fields), the host's final status.
 *  - VM: `installing` (post_to_api_vm), then the final status.
 *  - Host tools and addons: one final event with their shorter payload (post_tool_to_api,
 *    post_addon_to_api).
 * A run that failed during validation sends a `validation` ping; a run still installing sends
 * no final event. Bodies are pretty-printed like the scripts' heredocs.
 */
import type { TelemetryRow } from "./telemetry-row";

export interface InstallerEvent {
  /** When the scripts send it (epoch ms). */
  atMs: number;
  /** The JSON body. */
  body: string;
  status: string;
}

export interface EventOptions {
  /** The `installing` event never arrived (upstream lost about half of them in one period). */
  lostStart?: boolean;
  /** The `installing` event is sent twice (curl timed out after the server stored it). */
  resend?: boolean;
}

const ms = (pbTime: string) => Date.parse(pbTime.replace(" ", "T"));

/** The status the client sends for a stored final status (the server maps it back). */
export function reportedStatus(row: TelemetryRow): string {
  // post_update_to_api sends "failed" with exit code 0 as it is; the server stores unknown.
  if (row.status === "unknown" && row.error.startsWith("exit_code=0 |")) return "failed";
  return row.status === "sucess" ? "success" : row.status;
}

/** _tm_payload(): every field, every time; `elapsed`: seconds since the install started. */
function hostPayload(row: TelemetryRow, status: string, final: boolean, elapsed: number): Record<string, unknown> {
  return {
    random_id: row.random_id,
    execution_id: row.execution_id,
    type: row.type,
    nsapp: row.nsapp,
    status,
    ct_type: row.ct_type,
    disk_size: row.disk_size,
    core_count: row.core_count,
    ram_size: row.ram_size,
    os_type: row.os_type,
    os_version: row.os_version,
    pve_version: row.pve_version,
    method: row.method,
    exit_code: final ? row.exit_code : 0,
    error: final ? row.error : "",
    error_category: final ? row.error_category : "",
    install_duration: final ? row.install_duration : elapsed,
    cpu_vendor: row.cpu_vendor,
    cpu_model: row.cpu_model,
    gpu_vendor: row.gpu_vendor,
    gpu_model: row.gpu_model,
    gpu_passthrough: row.gpu_passthrough,
    ram_speed: row.ram_speed ? String(row.ram_speed) : "",
    arch: row.arch,
    platform: row.platform,
    has_arm: row.has_arm,
    repo_source: row.repo_source,
    repo_slug: row.repo_slug,
  };
}

/** post_tool_to_api / post_addon_to_api. */
function toolPayload(row: TelemetryRow): Record<string, unknown> {
  const where = row.type === "pve" ? { pve_version: row.pve_version } : { os_type: row.os_type, os_version: row.os_version };
  return {
    random_id: row.random_id,
    execution_id: row.execution_id,
    type: row.type,
    nsapp: row.nsapp,
    status: reportedStatus(row),
    exit_code: row.exit_code,
    error: row.error,
    error_category: row.error_category,
    install_duration: row.install_duration,
    ...where,
    repo_source: row.repo_source,
    repo_slug: row.repo_slug,
  };
}

/** install.func's progress ping from inside the container: one line, a few fields. */
function containerPing(row: TelemetryRow, status: string): string {
  return JSON.stringify({
    random_id: row.random_id,
    execution_id: row.execution_id,
    type: "lxc",
    nsapp: row.nsapp,
    status,
    platform: row.platform,
    repo_source: row.repo_source,
    repo_slug: row.repo_slug,
  });
}

const heredoc = (payload: Record<string, unknown>) => JSON.stringify(payload, null, 4);

/** The events of one stored run of today's protocol, in the order the scripts send them. */
export function eventsOf(row: TelemetryRow, opts: EventOptions = {}): InstallerEvent[] {
  const start = ms(row.created);
  const finished = row.status !== "installing";
  const end = finished ? ms(row.updated) : start;
  if (row.type === "pve" || row.type === "addon") return finished ? [{ atMs: end, body: heredoc(toolPayload(row)), status: reportedStatus(row) }] : [];
  const events: InstallerEvent[] = [];
  if (!opts.lostStart) {
    const installing = { atMs: start, body: heredoc(hostPayload(row, "installing", false, 0)), status: "installing" };
    events.push(installing);
    if (opts.resend) events.push({ ...installing, atMs: start + 5_000 });
  }
  // Progress pings fall between the start and the end (a run still installing: soon after its start).
  const between = (share: number) => Math.round(start + (finished ? (end - start) * share : 30_000 * share));
  if (row.phase === "validation") {
    const at = between(0.2);
    events.push({ atMs: at, body: heredoc(hostPayload(row, "validation", false, Math.round((at - start) / 1000))), status: "validation" });
  }
  if (row.phase === "configuring") events.push({ atMs: between(0.4), body: containerPing(row, "configuring"), status: "configuring" });
  if (finished) events.push({ atMs: end, body: heredoc(hostPayload(row, reportedStatus(row), true, row.install_duration)), status: reportedStatus(row) });
  return events;
}

/** The fields the older scripts send when a run starts (POST to the records API); the records API refuses today's. */
export const RECORDS_API_START_FIELDS = ["type", "ct_type", "nsapp", "disk_size", "core_count", "ram_size", "os_type", "os_version", "pve_version", "method"] as const;

/**
 * The same run as the older scripts reported it through the records API: the POST body that
 * starts it (`random_id` one per run: its execution) and, once it ended, the PATCH body.
 */
export function recordsApiBodies(row: TelemetryRow): { start: Record<string, unknown>; outcome: Record<string, unknown> | null } {
  const payload = hostPayload(row, "installing", false, 0);
  const start = { random_id: row.execution_id, status: "installing", ...Object.fromEntries(RECORDS_API_START_FIELDS.map((k) => [k, payload[k]])) };
  if (row.status === "installing") return { start, outcome: null };
  return { start, outcome: { status: row.status === "success" ? "sucess" : row.status, exit_code: row.exit_code, error: row.error } };
}
