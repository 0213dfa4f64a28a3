/**
 * Hardware and platform of a run (issue 15): the five host fields today's scripts report —
 * GPU passthrough, GPU vendor, CPU vendor, architecture, platform — as the rollups key them.
 *
 * One normalisation, here, for every reader: the stored value lower-cased with surrounding
 * blanks trimmed; an empty (or NULL) value is "not reported". The older protocol (records API)
 * carries none of these fields, so each of its runs counts as "not reported" in every dimension
 * — it stays in n, it is never dropped. POST /telemetry already stores lower-case names
 * (pocketbase/pb_hooks/telemetry-ingest.cjs); the normalisation makes the rollups independent of
 * how a row got in (imports, SQL).
 */

export const HARDWARE_DIMENSIONS = ["gpu_passthrough", "gpu_vendor", "cpu_vendor", "arch", "platform"] as const;
export type HardwareDimension = (typeof HARDWARE_DIMENSIONS)[number];

/** The value a run without the field is counted under. */
export const NOT_REPORTED = "";

/** SQL over `row` (NEW, OLD or an alias): the normalised value of a hardware column. */
export function hardwareValueSql(column: HardwareDimension): (row: string) => string {
  return (row) => `LOWER(TRIM(COALESCE(${row}.${column}, '')))`;
}

/** The same normalisation in JS (the in-memory rollups of scripts/lib/memory-source.ts). */
export function normaliseHardware(value: unknown): string {
  return typeof value === "string" ? value.trim().toLowerCase() : "";
}

export const DIMENSION_LABELS: Readonly<Record<HardwareDimension, string>> = {
  gpu_passthrough: "GPU passthrough",
  gpu_vendor: "GPU vendor",
  cpu_vendor: "CPU vendor",
  arch: "Architecture",
  platform: "Platform",
};

const PASSTHROUGH: Readonly<Record<string, string>> = {
  igpu: "integrated GPU (iGPU)",
  dgpu: "discrete GPU (dGPU)",
  vgpu: "virtual GPU (vGPU)",
  none: "none",
  unknown: "unknown",
};
const VENDORS: Readonly<Record<string, string>> = { intel: "Intel", amd: "AMD", nvidia: "NVIDIA", arm: "Arm", apple: "Apple", qualcomm: "Qualcomm", unknown: "unknown" };

/** A value as a person reads it ("dgpu" → "discrete GPU (dGPU)", "" → "not reported"). */
export function hardwareLabel(dimension: HardwareDimension, value: string): string {
  if (value === NOT_REPORTED) return "not reported";
  if (dimension === "gpu_passthrough") return PASSTHROUGH[value] ?? value;
  if (dimension === "gpu_vendor" || dimension === "cpu_vendor") return VENDORS[value] ?? value;
  return value;
}

/**
 * Completes "Fails … more often ___" for a value, or null when the value names nothing a
 * maintainer can act on ("not reported", "unknown").
 */
export function hardwarePhrase(dimension: HardwareDimension, value: string): string | null {
  if (value === NOT_REPORTED || value === "unknown") return null;
  switch (dimension) {
    case "gpu_passthrough":
      return value === "none"
        ? "without a GPU passed through"
        : value === "dgpu"
          ? "with a discrete GPU passed through"
          : value === "igpu"
            ? "with an integrated GPU passed through"
            : value === "vgpu"
              ? "with a virtual GPU (vGPU) passed through"
              : `with GPU passthrough “${value}”`;
    case "gpu_vendor":
      return `on hosts with ${VENDORS[value] ?? value} graphics`;
    case "cpu_vendor":
      return `on ${VENDORS[value] ?? value} CPUs`;
    case "arch":
      return `on ${value}`;
    case "platform":
      return `on platform “${value}”`;
  }
}
