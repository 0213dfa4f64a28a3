/**
 * One `_dev_telemetry_data` row as stored by PocketBase (pb_migrations/1763800000_telemetry.js and
 * 1796540000_telemetry_ingest.js): every column present, '' for empty text, 0 for empty numbers and
 * false for an empty bool (PocketBase stores no NULLs), times in PocketBase's UTC text format
 * "YYYY-MM-DD HH:MM:SS.sssZ". Runs of the records API (the older protocol) leave the columns of
 * today's protocol (from execution_id on) empty.
 */
export type TelemetryType = "lxc" | "vm" | "addon" | "pve";
export type TelemetryStatus = "installing" | "sucess" | "failed" | "unknown" | "success" | "aborted";

export interface TelemetryRow {
  id: string;
  random_id: string;
  type: TelemetryType;
  ct_type: number;
  nsapp: string;
  status: TelemetryStatus;
  disk_size: number;
  core_count: number;
  ram_size: number;
  os_type: string;
  os_version: string;
  pve_version: string;
  method: string;
  error: string;
  exit_code: number;
  created: string;
  updated: string;
  /** One install attempt (POST /telemetry); a retry gets a new one under the same random_id. */
  execution_id: string;
  /** The last progress status before the end (installing, validation, configuring) or ''. */
  phase: string;
  error_category: string;
  /** Seconds from the start to the event that set it (0–86400). */
  install_duration: number;
  cpu_vendor: string;
  cpu_model: string;
  gpu_vendor: string;
  gpu_model: string;
  gpu_passthrough: string;
  /** MT/s; 0 when unknown. */
  ram_speed: number;
  arch: string;
  platform: string;
  has_arm: boolean;
  /** ProxmoxVE (official), ProxmoxVED (development) or external (a fork). */
  repo_source: string;
  repo_slug: string;
  /** The failure signature, derived from `error` on every write (pb_hooks/telemetry-signature.cjs): the line, 0 when none. */
  fail_line: number;
  /** The failing command, normalised (public through the rollups); '' when the error names none. */
  fail_command: string;
}

/** The columns of today's protocol, with their empty values (a records-API run's). */
export const INGEST_COLUMNS_EMPTY = {
  execution_id: "",
  phase: "",
  error_category: "",
  install_duration: 0,
  cpu_vendor: "",
  cpu_model: "",
  gpu_vendor: "",
  gpu_model: "",
  gpu_passthrough: "",
  ram_speed: 0,
  arch: "",
  platform: "",
  has_arm: false,
  repo_source: "",
  repo_slug: "",
  // Derived from `error` (both protocols), added by 1796800000_failure_signature.js.
  fail_line: 0,
  fail_command: "",
} as const satisfies Partial<TelemetryRow>;

/** Every column, in the bulk insert's order (all columns, so nothing relies on table defaults). */
export const TELEMETRY_COLUMNS = [
  "id",
  "random_id",
  "type",
  "ct_type",
  "nsapp",
  "status",
  "disk_size",
  "core_count",
  "ram_size",
  "os_type",
  "os_version",
  "pve_version",
  "method",
  "error",
  "exit_code",
  "created",
  "updated",
  ...(Object.keys(INGEST_COLUMNS_EMPTY) as (keyof typeof INGEST_COLUMNS_EMPTY)[]),
] as const satisfies readonly (keyof TelemetryRow)[];
