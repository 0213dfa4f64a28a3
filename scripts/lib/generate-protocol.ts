/**
 * Today's protocol in the demo data: runs of the last NEW_PROTOCOL_DAYS days are stored as
 * POST /telemetry stores them (pocketbase/pb_hooks/telemetry-ingest.cjs), older ones as the
 * records API did — a real history's switch (the scripts moved in one release).
 *
 * A new-protocol run gets an execution id (its session's random_id for the first attempt, as
 * the scripts do), the phase it reached, its duration, the host's CPU, GPU, RAM speed and
 * architecture, the repository it ran from (official, development, forks), the structured error
 * trace and category, and the statuses the server stores (user interrupts aborted, "failed" with
 * exit code 0 unknown). Some failures are retried from the recovery menu: a new execution under
 * the same session, which takes the place of a later run in the stream (generate.ts), so the row
 * count stays exactly countRows().
 *
 * Everything here draws from its own random stream (`side`), so the older columns of every row
 * come out of generate.ts's stream unchanged.
 */
import { errorCategory, explainExitCode, exitCodeInfo } from "../../lib/exit-codes";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { GPU_FAILURE_APP, TESTING_APPS } from "./demo-model";
import { AliasTable, hashString32, type Rng } from "./prng";
import type { TelemetryRow } from "./telemetry-row";

/** Days before the end that use today's protocol. */
export const NEW_PROTOCOL_DAYS = 21;
/** Failures the recovery menu offers a retry for: OOM (more resources) and network (DNS override). */
const RETRY_CODES: Readonly<Record<number, "oom" | "dns">> = { 137: "oom", 243: "oom", 6: "dns", 7: "dns", 22: "dns", 28: "dns", 35: "dns" };
const RETRY_SHARE = 0.3;
const RETRY_SUCCEEDS = 0.65;
const USER_ABORT_CODES = [129, 130, 143];

interface Host {
  cpu: [vendor: string, model: string];
  gpus: readonly (readonly [vendor: string, model: string, passthrough: string])[];
  ram: readonly number[];
}

const ASPEED = ["unknown", "ASPEED Graphics Family", "unknown"] as const;
const NVIDIA = [
  ["nvidia", "GA106 [GeForce RTX 3060 Lite Hash Rate]", "dgpu"],
  ["nvidia", "TU117GL [T400 4GB]", "dgpu"],
  ["nvidia", "GP107 [GeForce GTX 1050 Ti]", "dgpu"],
] as const;
const HOST_WEIGHTS = [16, 14, 8, 7, 5, 9, 4, 9, 6, 5, 6, 4, 1.2, 0.8];
/** Homelab hosts as lspci, /proc/cpuinfo and dmidecode describe them (models cut to 64 as the client does). */
const HOSTS = new AliasTable<Host>(
  [
    { cpu: ["intel", "Intel Core i5-8500T CPU @ 2.10GHz"], gpus: [["intel", "CoffeeLake-S GT2 [UHD Graphics 630]", "igpu"]], ram: [2666, 2666, 0] },
    { cpu: ["intel", "Intel N100"], gpus: [["intel", "Alder Lake-N [UHD Graphics]", "igpu"]], ram: [4800, 4800, 3200] },
    { cpu: ["intel", "12th Gen Intel Core i7-12700H"], gpus: [["intel", "Alder Lake-P GT2 [Iris Xe Graphics]", "igpu"]], ram: [3200, 4800] },
    { cpu: ["intel", "Intel Core i3-10100T CPU @ 3.00GHz"], gpus: [["intel", "CometLake-S GT2 [UHD Graphics 630]", "igpu"]], ram: [2666, 2933] },
    { cpu: ["intel", "Intel Celeron J4125 CPU @ 2.00GHz"], gpus: [["intel", "GeminiLake [UHD Graphics 600]", "igpu"]], ram: [2400, 0] },
    { cpu: ["intel", "Intel Xeon CPU E5-2680 v4 @ 2.40GHz"], gpus: [ASPEED, ASPEED, ...NVIDIA], ram: [2400, 2133, 0] },
    { cpu: ["intel", "Intel Xeon E-2236 CPU @ 3.40GHz"], gpus: [ASPEED, NVIDIA[1]], ram: [2666] },
    { cpu: ["amd", "AMD Ryzen 7 5700G with Radeon Graphics"], gpus: [["amd", "Cezanne [Radeon Vega Series / Radeon Vega Mobile Series]", "igpu"]], ram: [3200, 3200, 0] },
    { cpu: ["amd", "AMD Ryzen 5 5600G with Radeon Graphics"], gpus: [["amd", "Cezanne [Radeon Vega Series / Radeon Vega Mobile Series]", "igpu"]], ram: [3200] },
    { cpu: ["amd", "AMD Ryzen 7 7840HS w/ Radeon 780M Graphics"], gpus: [["amd", "Phoenix1", "igpu"]], ram: [5600, 5600] },
    { cpu: ["amd", "AMD EPYC 7302P 16-Core Processor"], gpus: [ASPEED, NVIDIA[0]], ram: [3200, 2933, 0] },
    { cpu: ["amd", "AMD Ryzen 9 7950X 16-Core Processor"], gpus: [["amd", "Navi 23 [Radeon RX 6600/6600 XT/6600M]", "dgpu"], NVIDIA[0]], ram: [4800, 5600] },
    { cpu: ["arm", ""], gpus: [["unknown", "", "unknown"]], ram: [0] },
    { cpu: ["unknown", ""], gpus: [["unknown", "", "unknown"]], ram: [0] },
  ],
  HOST_WEIGHTS,
);
/** Official repository, the development repository, forks (repo_slug "owner/repo"). */
const REPOS = new AliasTable(
  [
    ["ProxmoxVE", "community-scripts/ProxmoxVE"],
    ["ProxmoxVED", "community-scripts/ProxmoxVED"],
    ["external", "homelab-jo/ProxmoxVE"],
    ["external", "tteck-legacy/ProxmoxVE"],
    ["external", "nordic-lab/ProxmoxVE-scripts"],
  ] as const,
  [96, 2.5, 0.7, 0.5, 0.3],
);

/** What the scripts' trace shows for a failing command, by the exit code's category. */
const TRACES: Readonly<Record<string, readonly [command: string, output: string]>> = {
  dependency: ["$STD apt-get install -y build-essential", "E: Unable to locate package libssl1.1\nE: Package 'libssl1.1' has no installation candidate"],
  network: ["curl -fsSL https://github.com/$REPO/releases/latest", "curl: (22) The requested URL returned error: 404\nConnecting to github.com (x.x.x.x)"],
  timeout: ["curl -fsSL --max-time 60 https://dl.example.org/app.tar.gz", "curl: (28) Operation timed out after 60001 milliseconds"],
  shell: ['bash -c "$(curl -fsSL $SETUP)"', "bash: line 1: syntax error near unexpected token `('"],
  proxmox: ['pct create "$CTID" "$TEMPLATE_STORAGE:vztmpl/$TEMPLATE"', "unable to create CT 105 - can't lock file '/run/lock/lxc/pve-config-105.lock'"],
  service: ["systemctl enable -q --now app.service", "Job for app.service failed because the control process exited with error code."],
  storage: ["tar -xzf app.tar.gz -C /opt/app", "tar: /opt/app/data: Cannot write: No space left on device"],
  runtime: ["$STD npm run build", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"],
  resource: ["$STD npm ci", "Killed"],
};

/** Host, repository and platform columns of a run. */
export function hostColumns(
  side: Rng,
): Pick<TelemetryRow, "cpu_vendor" | "cpu_model" | "gpu_vendor" | "gpu_model" | "gpu_passthrough" | "ram_speed" | "arch" | "platform" | "has_arm" | "repo_source" | "repo_slug"> {
  const host = HOSTS.sample(side);
  const [gpuVendor, gpuModel, passthrough] = side.pick(host.gpus);
  const [source, slug] = REPOS.sample(side);
  const arm = host.cpu[0] === "arm";
  return {
    cpu_vendor: host.cpu[0],
    cpu_model: host.cpu[1],
    gpu_vendor: gpuVendor,
    gpu_model: gpuModel,
    gpu_passthrough: passthrough,
    ram_speed: side.pick(host.ram),
    arch: arm ? "arm64" : "amd64",
    platform: "pve",
    has_arm: arm,
    repo_source: source,
    repo_slug: slug,
  };
}

/**
 * The seeded scripts in testing run from the development repository (no draw). The ready one
 * keeps one failure in three (by a hash of the run's id; a spared failure draws no retry, so
 * the runs after it differ as at any other end of the data): at an
 * ordinary app's ~1 % its ~460 runs of 30 days at the e2e volume sometimes drew 7–8 failures
 * (network errors on a bad day), and the 95 % interval's upper bound then passed the rule's
 * "official median + 2 points" — the seeded "ready" read "not ready" (twice, 2026-12-06 and -08).
 */
function inTesting(row: TelemetryRow, status: string): Partial<TelemetryRow> {
  const testing: readonly string[] = Object.values(TESTING_APPS);
  if (!testing.includes(row.nsapp)) return {};
  const dev = { repo_source: "ProxmoxVED", repo_slug: "community-scripts/ProxmoxVED" };
  const spared = row.nsapp === TESTING_APPS.ready && status === "failed" && hashString32(row.random_id, 17) % 3 !== 0;
  return spared ? { ...dev, status: "success", exit_code: 0 } : dev;
}

/**
 * Host tools and addons report with a shorter payload (post_tool_to_api, post_addon_to_api): no
 * hardware or install method; tools name the PVE version but no OS, addons the reverse.
 */
function toolPayloadGaps(row: TelemetryRow): Partial<TelemetryRow> {
  if (row.type !== "pve" && row.type !== "addon") return {};
  const hardware = { cpu_vendor: "", cpu_model: "", gpu_vendor: "", gpu_model: "", gpu_passthrough: "", ram_speed: 0, arch: "", platform: "", has_arm: false, method: "" };
  return row.type === "pve" ? { ...hardware, os_type: "", os_version: "" } : { ...hardware, pve_version: "" };
}

/**
 * The seeded GPU-only failure (demo-model.ts GPU_FAILURE_APP): a success of the app on a host
 * with a discrete GPU passed through becomes, for a fixed share of runs (by a hash of the run's
 * id: no draw, so the side stream and every later row stay as they were), a failure at the
 * driver check. A success draws nothing in errorOf, phaseOf or the retry, nor does this.
 */
/** The chance hostColumns gives a run the seeded GPU failure's passthrough (a host drawn by weight, then one of its GPUs). */
const PASSTHROUGH_SHARE = (() => {
  const total = HOST_WEIGHTS.reduce((a, w) => a + w, 0);
  return HOSTS.items.reduce((a, h, i) => a + (HOST_WEIGHTS[i]! / total) * (h.gpus.filter((g) => g[2] === GPU_FAILURE_APP.passthrough).length / h.gpus.length), 0);
})();

/**
 * The same failure before today's protocol: the hosts were the same, only unreported. A success
 * of the app fails with the chance a run is on such a host and fails there (by a hash: no
 * draw), so the app's failure rate does not jump when the protocol changes (no false regression),
 * and those failures count under "not reported".
 */
export function olderProtocolGpuFailure(row: TelemetryRow): TelemetryRow {
  const g = GPU_FAILURE_APP;
  if (row.nsapp !== g.nsapp || (row.status !== "sucess" && row.status !== "success")) return row;
  if (hashString32(row.random_id, 16) % 1_000_000 >= PASSTHROUGH_SHARE * g.failShare * 1_000_000) return row;
  return { ...row, status: "failed", exit_code: g.exitCode, error: explainExitCode(g.exitCode, row.created.slice(0, 10)) };
}

function gpuOnlyFailure(row: TelemetryRow): Partial<TelemetryRow> | null {
  const g = GPU_FAILURE_APP;
  if (row.nsapp !== g.nsapp || row.gpu_passthrough !== g.passthrough || row.status !== "success") return null;
  if (hashString32(row.random_id, 15) % 1000 >= g.failShare * 1000) return null;
  const error = `exit_code=${g.exitCode} | ${explainExitCode(g.exitCode, row.created.slice(0, 10))} | at line ${g.line}: ${g.command}\n---\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.`;
  return { status: "failed", exit_code: g.exitCode, error, error_category: errorCategory(g.exitCode, row.created.slice(0, 10)), ...signature.signatureColumns(error) };
}

/** A failing command placed by a seeded event (demo-events.ts): its script line and raw text. */
export interface FailingCommand {
  line: number;
  command: string;
}

/**
 * The error text and category the scripts send with a final status (build_error_string), and
 * the failure signature the server derives from it. A script fails at the same line for the
 * same cause: the line is fixed per app and category, unless a seeded event names its own
 * command (`placed`). (The side stream's draw for the line stays, so later draws are unchanged.)
 */
function errorOf(
  side: Rng,
  nsapp: string,
  status: string,
  code: number,
  day: string,
  placed: FailingCommand | null = null,
): Pick<TelemetryRow, "error" | "error_category" | "fail_line" | "fail_command"> {
  if (status !== "failed" && status !== "aborted" && !(status === "unknown" && code === 0)) return { error: "", error_category: "", fail_line: 0, fail_command: "" };
  const head = `exit_code=${code} | ${explainExitCode(code, day)}`;
  if (status === "aborted") return { error: head, error_category: "user_aborted", fail_line: 0, fail_command: "" };
  const category = errorCategory(code, day);
  const [command, output] = TRACES[category] ?? ["$STD ./install.sh", `install.sh: exited with ${code}`];
  side.int(380);
  const at = placed ?? { line: 20 + (hashString32(`${nsapp}|${category}`) % 380), command };
  const error = `${head} | at line ${at.line}: ${at.command}\n---\n${output}`;
  return { error, error_category: category, ...signature.signatureColumns(error) };
}

/** The phase a run reached: the last progress event its scripts sent before the end. */
function phaseOf(side: Rng, row: TelemetryRow): string {
  if (row.type === "pve" || row.type === "addon") return ""; // host tools and addons send one final event
  if (row.type === "vm") return "installing"; // post_to_api_vm, then the end
  if (row.status === "installing") return side.chance(0.4) ? "installing" : "configuring";
  if (row.status !== "failed") return "configuring";
  const section = exitCodeInfo(row.exit_code).section;
  if (/^Proxmox/.test(section)) return "installing"; // the container was never created
  if (/validation/i.test(section)) return "validation";
  return "configuring";
}

/**
 * A generated run as today's protocol stores it: `row` (fresh from the generator, changed in
 * place) started at `createdMs` and took `durationMs`; `endMs` is the data's end; `placed` the
 * failing command a seeded event gives its failures. Returns the row and, for a failure the
 * user retries, when the retry starts.
 */
export function todaysRun(
  side: Rng,
  row: TelemetryRow,
  createdMs: number,
  durationMs: number,
  endMs: number,
  placed: FailingCommand | null = null,
): { row: TelemetryRow; retryAtMs: number | null } {
  let status = row.status;
  // The client reports user interrupts as aborted; the server stores "failed" with 0 as unknown.
  if (status === "sucess") status = "success";
  if (status === "failed" && USER_ABORT_CODES.includes(row.exit_code)) status = "aborted";
  if (status === "failed" && row.exit_code === 0) status = "unknown";
  const out = Object.assign(row, { status, execution_id: row.random_id }, hostColumns(side), toolPayloadGaps(row), inTesting(row, status));
  // Host tools report once, at the end: one that has not ended yet has no row. Here it ends
  // before the data's end instead (the row count is fixed).
  if ((row.type === "pve" || row.type === "addon") && status === "installing") {
    out.status = "success";
    out.updated = pbTime(Math.min(createdMs + durationMs, endMs - 1));
  }
  Object.assign(out, gpuOnlyFailure(out) ?? errorOf(side, out.nsapp, out.status, out.exit_code, row.created.slice(0, 10), out.status === "failed" ? placed : null));
  out.phase = phaseOf(side, out);
  out.install_duration = out.status === "installing" ? 0 : Math.min(86_400, Math.round((Date.parse(out.updated.replace(" ", "T")) - createdMs) / 1000));
  const retry = out.type === "lxc" && out.status === "failed" && RETRY_CODES[out.exit_code] !== undefined && side.chance(RETRY_SHARE);
  return { row: out, retryAtMs: retry ? Date.parse(out.updated.replace(" ", "T")) + 20_000 + side.int(100_000) : null };
}

/**
 * The retry of `failed` (telemetry_new_attempt: same session, new execution id), started at
 * `slot`'s time and taking its record id. OOM retries double cores and RAM.
 */
export function retryRun(side: Rng, failed: TelemetryRow, slot: TelemetryRow, endMs: number): TelemetryRow {
  const oom = RETRY_CODES[failed.exit_code] === "oom";
  const createdMs = Date.parse(slot.created.replace(" ", "T"));
  const durationMs = Math.round(Math.max(1, failed.install_duration) * 1000 * (0.8 + 0.6 * side.next()));
  const succeeds = side.chance(RETRY_SUCCEEDS);
  const running = createdMs + durationMs > endMs;
  const status = running ? "installing" : succeeds ? "success" : "failed";
  const code = status === "failed" ? failed.exit_code : 0;
  const row: TelemetryRow = {
    ...failed,
    id: slot.id,
    execution_id: uuid4(side),
    core_count: oom ? failed.core_count * 2 : failed.core_count,
    ram_size: oom ? failed.ram_size * 2 : failed.ram_size,
    status,
    exit_code: code,
    created: slot.created,
    updated: running ? slot.created : pbTime(createdMs + durationMs),
    install_duration: running ? 0 : Math.round(durationMs / 1000),
    phase: "configuring",
  };
  return { ...row, ...errorOf(side, row.nsapp, status, code, slot.created.slice(0, 10)) };
}

const pbTime = (ms: number) => new Date(Math.floor(ms)).toISOString().replace("T", " ");
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** RFC 4122 version-4 UUID from the stream (what the scripts send as random_id and execution_id). */
export function uuid4(rng: Rng): string {
  const w = [rng.u32(), rng.u32(), rng.u32(), rng.u32()];
  const b = (i: number) => (w[i >> 2]! >>> ((3 - (i & 3)) * 8)) & 0xff;
  const byte = (i: number) => HEX[i === 6 ? (b(6) & 0x0f) | 0x40 : i === 8 ? (b(8) & 0x3f) | 0x80 : b(i)]!;
  let s = "";
  for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + byte(i);
  return s;
}
