/**
 * The one place raw environment values become labels. The scripts report the same thing in
 * several spellings: VM scripts send Ubuntu versions without the dot ("2404"), "n.d." or
 * nothing when the OS is unknown, and old rows carry PVE "not found". Tables and charts group
 * by these labels, so "24.04" and "2404" are one row, and every missing value is one
 * "not reported" row.
 */
export const NOT_REPORTED = "not reported";

// "not reported" itself too: a label labelled again stays the same.
const MISSING = new Set(["", "n.d.", "nd", "n/a", "na", "none", "null", "unknown", "not found", "-", NOT_REPORTED]);

function missing(v: string | null | undefined): boolean {
  return MISSING.has((v ?? "").trim().toLowerCase());
}

/** An OS name: "debian", or "not reported". */
export function osName(osType: string | null | undefined): string {
  return missing(osType) ? NOT_REPORTED : (osType ?? "").trim().toLowerCase();
}

/** An OS version as the OS writes it: Ubuntu "2404" → "24.04"; missing → "not reported". */
export function osVersion(osType: string | null | undefined, version: string | null | undefined): string {
  if (missing(version)) return NOT_REPORTED;
  const v = (version ?? "").trim();
  if (osName(osType) === "ubuntu" && /^\d{4}$/.test(v)) return `${v.slice(0, 2)}.${v.slice(2)}`;
  return v;
}

/** An OS and its version as two labels, as breakdowns and run rows show them: the version of an unreported OS is not reported either. */
export function osLabels(osType: string | null | undefined, version: string | null | undefined): { os: string; version: string } {
  const os = osName(osType);
  return { os, version: os === NOT_REPORTED ? NOT_REPORTED : osVersion(osType, version) };
}

/** "debian 13", "ubuntu 24.04", "debian (version not reported)", "not reported". */
export function osLabel(osType: string | null | undefined, version: string | null | undefined): string {
  const name = osName(osType);
  if (name === NOT_REPORTED) return NOT_REPORTED;
  const ver = osVersion(osType, version);
  return ver === NOT_REPORTED ? `${name} (version not reported)` : `${name} ${ver}`;
}

/** A Proxmox VE version, or "not reported" for old rows' "not found" and blanks. */
export function pveLabel(version: string | null | undefined): string {
  return missing(version) ? NOT_REPORTED : (version ?? "").trim();
}

/** "8.4.14" → "8.4": the minor version a regression's environment split groups by. */
export function pveMinor(version: string | null | undefined): string {
  const v = pveLabel(version);
  const m = /^(\d+\.\d+)/.exec(v);
  return m ? m[1]! : v;
}

/** An install method, or "not reported". */
export function methodLabel(method: string | null | undefined): string {
  return missing(method) ? NOT_REPORTED : (method ?? "").trim();
}
