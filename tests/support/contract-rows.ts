/**
 * Generated runs plus what the generator never makes, so that a figure which ignores a filter
 * or a key shows (issue 20). Used by the integration and end-to-end data alike:
 *  - the generator gives each app and type one OS, while users choose another (var_os): half of
 *    docker's LXC runs report Ubuntu, spelt "2404" as VM scripts do, and the current hour has a
 *    docker run on each OS — an OS filter ignored anywhere, today's partial day included, changes
 *    a figure;
 *  - coolify's two install types move apart: three LXC failures two days ago (below what makes a
 *    regression), five addon successes two days ago and ten days ago;
 *  - an app whose runs never got a verdict (two `unknown` runs): its rates are missing, which
 *    sorting must put last.
 * Extra runs are finished (no `installing`), so none turns from running into unfinished.
 */
import { pbTimestamp } from "../../scripts/lib/generate-time";
import { INGEST_COLUMNS_EMPTY, type TelemetryRow } from "../../scripts/lib/telemetry-row";
import { DAY_MS } from "../../lib/time";

const RUN: TelemetryRow = {
  id: "",
  random_id: "",
  type: "lxc",
  ct_type: 1,
  nsapp: "docker",
  status: "success",
  disk_size: 4,
  core_count: 2,
  ram_size: 2048,
  os_type: "debian",
  os_version: "13",
  pve_version: "9.0.3",
  method: "default",
  error: "",
  exit_code: 0,
  ...INGEST_COLUMNS_EMPTY,
  created: "",
  updated: "",
};

export function* withContractRows(rows: Iterable<TelemetryRow>, now: Date): Generator<TelemetryRow> {
  let i = 0;
  for (const r of rows) yield r.nsapp === "docker" && r.type === "lxc" && i++ % 2 === 0 ? { ...r, os_type: "ubuntu", os_version: "2404" } : r;
  const ago = (ms: number) => pbTimestamp(now.getTime() - ms);
  // A minute ago, but inside the current hour.
  const thisHour = pbTimestamp(Math.max(now.getTime() - 60_000, Math.floor(now.getTime() / 3_600_000) * 3_600_000));
  const extra: Partial<TelemetryRow>[] = [
    { os_type: "debian", os_version: "13", created: thisHour },
    { os_type: "ubuntu", os_version: "24.04", created: thisHour },
    ...Array.from({ length: 3 }, () => ({ nsapp: "coolify", status: "failed" as const, exit_code: 100, created: ago(2 * DAY_MS) })),
    ...[2, 2, 2, 2, 2, 10, 10, 10, 10, 10].map((days) => ({ nsapp: "coolify", type: "addon" as const, ct_type: 0, created: ago(days * DAY_MS) })),
    ...[1, 3].map((days) => ({ nsapp: "contract-no-verdict", status: "unknown" as const, created: ago(days * DAY_MS) })),
  ];
  for (const [n, e] of extra.entries()) {
    const id = `contract${String(n).padStart(7, "0")}`;
    yield { ...RUN, id, random_id: id, ...e, updated: e.created ?? "" };
  }
}
