/**
 * The 2×2 tables of traits.ts from rollup rows of one app over one window: OS and version
 * (stats_app_os), PVE major and minor version, install method and privileged/unprivileged
 * (stats_app_env), resources below the script default (stats_app_resources), install type.
 * Each of those rollups partitions the same runs, so each trait's complement is the app's
 * total minus the trait. Hardware and platform (stats_app_hardware, lib/hardware.ts): each value
 * against the other runs that reported the field (`within`).
 */
import { formatInt } from "../format";
import { HARDWARE_DIMENSIONS, type HardwareDimension, hardwarePhrase, NOT_REPORTED } from "../hardware";
import type { TraitCounts, TraitDimension } from "./traits";

interface Outcomes {
  failed: number;
  success: number;
}
export interface OsRow extends Outcomes {
  type: string;
  os_type: string;
  os_version: string;
}
export interface EnvRow extends Outcomes {
  pve_version: string;
  method: string;
  ct_type: number;
}
export interface ResourceRow extends Outcomes {
  core_count: number;
  ram_size: number;
  disk_size: number;
}
export type HardwareRow = Outcomes & Record<HardwareDimension, string>;
export interface ScriptDefaults {
  cpu: number | null;
  ramMb: number | null;
  diskGb: number | null;
}

const OS_NAMES: Readonly<Record<string, string>> = { debian: "Debian", ubuntu: "Ubuntu", alpine: "Alpine", fedora: "Fedora", centos: "CentOS" };
const osName = (os: string) => OS_NAMES[os] ?? os.charAt(0).toUpperCase() + os.slice(1);
const TYPE_PHRASES: Readonly<Record<string, string>> = { lxc: "as an LXC container", vm: "as a VM", addon: "as an add-on", pve: "as a host tool" };

/** Accumulates outcomes per (dimension, key). */
class Tally {
  private readonly traits = new Map<string, TraitCounts>();

  add(dimension: TraitDimension, family: string, key: string, phrase: string, row: Outcomes, parent?: string): void {
    const id = `${dimension}\n${key}`;
    const t = this.traits.get(id) ?? { dimension, family, key, phrase, failed: 0, success: 0, ...(parent === undefined ? {} : { parent }) };
    t.failed += row.failed;
    t.success += row.success;
    this.traits.set(id, t);
  }

  list(): TraitCounts[] {
    return [...this.traits.values()];
  }
}

/** "9.2.1" → ["9", "9.2"]; null for values that are not a version ("not found", ""). */
function pveParts(version: string): [string, string] | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? [m[1]!, `${m[1]}.${m[2]}`] : null;
}

/** Per hardware dimension, each nameable value against the runs that reported the field. */
function hardwareTraits(rows: readonly HardwareRow[]): TraitCounts[] {
  const out: TraitCounts[] = [];
  for (const dimension of HARDWARE_DIMENSIONS) {
    const within = { failed: 0, success: 0 };
    const values = new Map<string, Outcomes>();
    for (const r of rows) {
      const value = r[dimension];
      if (value === NOT_REPORTED) continue;
      within.failed += r.failed;
      within.success += r.success;
      const v = values.get(value) ?? { failed: 0, success: 0 };
      v.failed += r.failed;
      v.success += r.success;
      values.set(value, v);
    }
    for (const [key, v] of values) {
      const phrase = hardwarePhrase(dimension, key);
      if (phrase) out.push({ dimension, family: dimension, key, phrase, ...v, within });
    }
  }
  return out;
}

export function traitCounts(
  rows: { os: readonly OsRow[]; env: readonly EnvRow[]; resources: readonly ResourceRow[]; hardware?: readonly HardwareRow[] },
  defaults: ScriptDefaults,
): TraitCounts[] {
  const t = new Tally();
  const types = new Set(rows.os.map((r) => r.type));
  for (const r of rows.os) {
    if (types.size > 1) t.add("type", "type", r.type, TYPE_PHRASES[r.type] ?? `as ${r.type}`, r);
    if (!r.os_type) continue; // VMs often report no OS: nothing to name
    t.add("os", "os", r.os_type, `on ${osName(r.os_type)}`, r);
    if (r.os_version) t.add("os_version", "os", `${r.os_type} ${r.os_version}`, `on ${osName(r.os_type)} ${r.os_version}`, r, r.os_type);
  }
  for (const r of rows.env) {
    const pve = pveParts(r.pve_version);
    if (pve) {
      t.add("pve_major", "pve", `${pve[0]}.x`, `on PVE ${pve[0]}.x`, r);
      t.add("pve", "pve", pve[1], `on PVE ${pve[1]}`, r, `${pve[0]}.x`);
    }
    if (r.method) t.add("method", "method", r.method, `with install method “${r.method}”`, r);
    if (r.ct_type === 0) t.add("privilege", "privilege", "privileged", "in privileged containers", r);
    if (r.ct_type === 1) t.add("privilege", "privilege", "unprivileged", "in unprivileged containers", r);
  }
  const below: [TraitDimension, keyof ResourceRow, number | null, string][] = [
    ["ram", "ram_size", defaults.ramMb, `with RAM below the script default (${formatInt(defaults.ramMb ?? 0)} MB)`],
    ["cores", "core_count", defaults.cpu, `with fewer cores than the script default (${defaults.cpu ?? 0})`],
    ["disk", "disk_size", defaults.diskGb, `with a disk below the script default (${defaults.diskGb ?? 0} GB)`],
  ];
  for (const r of rows.resources) {
    for (const [dimension, column, def, phrase] of below) {
      const value = Number(r[column]);
      // 0 = not reported (host tools, add-ons): neither below nor above.
      if (def !== null && value > 0 && value < def) t.add(dimension, dimension, "below", phrase, r);
    }
  }
  return [...t.list(), ...hardwareTraits(rows.hardware ?? [])];
}

/** The app's failures and successes: any of the rollups sums to them; env rows are used. */
export function traitTotal(env: readonly EnvRow[]): Outcomes {
  return env.reduce((a, r) => ({ failed: a.failed + r.failed, success: a.success + r.success }), { failed: 0, success: 0 });
}

type Loose = Record<string, string | number | null> & Outcomes;

/** Range-view rows (values typed loosely by the records API) as the typed rows above. */
export function asTraitRows(rows: { os: readonly Loose[]; env: readonly Loose[]; resources: readonly Loose[]; hardware?: readonly Loose[] }) {
  const o = (r: Loose) => ({ failed: r.failed, success: r.success });
  return {
    os: rows.os.map((r): OsRow => ({ ...o(r), type: String(r.type ?? ""), os_type: String(r.os_type ?? ""), os_version: String(r.os_version ?? "") })),
    env: rows.env.map((r): EnvRow => ({ ...o(r), pve_version: String(r.pve_version ?? ""), method: String(r.method ?? ""), ct_type: Number(r.ct_type ?? -1) })),
    resources: rows.resources.map((r): ResourceRow => ({ ...o(r), core_count: Number(r.core_count ?? 0), ram_size: Number(r.ram_size ?? 0), disk_size: Number(r.disk_size ?? 0) })),
    hardware: (rows.hardware ?? []).map((r) => ({ ...o(r), ...Object.fromEntries(HARDWARE_DIMENSIONS.map((d) => [d, String(r[d] ?? "")])) }) as HardwareRow),
  };
}
