/**
 * One `_dev_telemetry_data` row as stored by PocketBase (pb_migrations/1763800000_telemetry.js):
 * every column present, '' for empty text and 0 for empty numbers (PocketBase stores no NULLs),
 * times in PocketBase's UTC text format "YYYY-MM-DD HH:MM:SS.sssZ".
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
}

/** Column order used by the bulk insert (all columns, so nothing relies on table defaults). */
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
] as const satisfies readonly (keyof TelemetryRow)[];
