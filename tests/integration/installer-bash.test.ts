/**
 * Today's install scripts against a real PocketBase, in bash: upstream's reporter library
 * (tests/support/upstream/api.func, unmodified) sourced with TELEMETRY_URL pointed at POST
 * /telemetry, driven through install scenarios by the stubbed installer around it
 * (tests/support/bash/installer.sh) — successes, a failure with its error trace (with jq, and
 * with mawk's escaping when jq is missing), Ctrl-C, a retry from the recovery menu, an APT
 * repair, a run that never ends, a VM, a fork's run, host tools and an addon — and an earlier
 * client's broken heredoc with a retried final event (tests/support/bash/heredoc-client.sh).
 * Every reported run is stored once with the right outcome, and the app pages' figures equal
 * SQL over the stored runs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetRange } from "../../lib/range";
import { expectAppFiguresEqualSql, runOf } from "../support/ingest";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const SUPPORT = join(import.meta.dirname, "..", "support");
const API_FUNC = join(SUPPORT, "upstream", "api.func");
const INSTALLER = readFileSync(join(SUPPORT, "bash", "installer.sh"), "utf8");
const OFFICIAL = "https://raw.githubusercontent.com/community-scripts/ProxmoxVE/main";

/** Stub commands of a Proxmox VE host the test machine is not. */
const STUBS: Record<string, string> = {
  pveversion: 'echo "pve-manager/9.1.4/5c2e0ea1ee9e8e6e (running kernel: 6.17.2-1-pve)"',
  lspci: 'echo "00:02.0 VGA compatible controller: Intel Corporation Alder Lake-N [UHD Graphics] (rev 01)"',
  dmidecode: 'printf "Memory Device\\n\\tSpeed: 4800 MT/s\\n\\tConfigured Memory Speed: 4800 MT/s\\n"',
};
/** What the reporter runs besides jq, for a PATH without jq (json_escape then uses awk). */
const TOOLS = ["bash", "sed", "tr", "awk", "grep", "head", "tail", "cat", "date", "rm", "dpkg", "uname", "sleep", "curl", "cut", "mktemp", "tee"];

describe("today's install scripts, in bash, against POST /telemetry", () => {
  let pb: TestPocketBase;
  const scratch = mkdtempSync(join(tmpdir(), "installer-bash-"));
  const stubs = join(scratch, "stubs");
  const noJq = join(scratch, "no-jq");
  const sessions: string[] = [];
  const executions: string[] = [];

  beforeAll(async () => {
    pb = await startTestPocketBase();
    pb.useForDataLayer();
    mkdirSync(stubs);
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(stubs, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(stubs, name), 0o755);
    }
    mkdirSync(noJq);
    for (const tool of TOOLS) {
      const where = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      if (where) symlinkSync(where, join(noJq, tool));
    }
  });
  afterAll(async () => {
    await pb?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** One install scenario, run as `bash -c "$(curl …/ct/app.sh)"` runs, from `repo`. */
  function install(scenario: string, opts: { repo?: string; jq?: boolean; nsapp?: string; diagnostics?: "no" } = {}) {
    const work = mkdtempSync(join(scratch, "run-"));
    const script = `# source <(curl -fsSL ${opts.repo ?? OFFICIAL}/misc/build.func)\n${INSTALLER}`;
    const path = `${stubs}:${opts.jq === false ? noJq : process.env.PATH}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: path,
      HOME: work,
      WORK: work,
      TELEMETRY_URL: `${pb.url}/telemetry`,
      ...(opts.nsapp ? { NSAPP: opts.nsapp } : {}),
      DIAGNOSTICS: opts.diagnostics ?? "yes",
    };
    const res = spawnSync("bash", ["-c", script, "installer", API_FUNC, scenario], { encoding: "utf8", env, timeout: 60_000 });
    const ids = (kind: string) => [...res.stdout.matchAll(new RegExp(`^${kind} (\\S+)$`, "gm"))].map((m) => m[1]!);
    // Host tools and addons report under a session of their own (post_tool_to_api), not the installer's.
    if (opts.diagnostics !== "no") {
      if (ids("execution").length) sessions.push(...ids("session"));
      executions.push(...ids("execution"));
    }
    return { code: res.status, execution: ids("execution"), stderr: res.stderr };
  }

  it("stores a successful install with everything the reporter collects", () => {
    const run = install("success");
    expect(run.code).toBe(0);
    expect(runOf(pb.db, run.execution[0]!)).toMatchObject({
      status: "success",
      phase: "configuring",
      nsapp: "jellyfin",
      type: "lxc",
      ct_type: 1,
      disk_size: 8,
      core_count: 2,
      ram_size: 2048,
      os_type: "debian",
      os_version: "13",
      pve_version: "9.1.4",
      method: "default",
      exit_code: 0,
      error: "",
      gpu_vendor: "intel",
      gpu_passthrough: "igpu",
      ram_speed: 4800,
      arch: "amd64",
      platform: "pve",
      has_arm: 0,
      repo_source: "ProxmoxVE",
      repo_slug: "community-scripts/ProxmoxVE",
    });
  });

  for (const jq of [true, false]) {
    it(`stores a failure once with its trace (${jq ? "jq" : "no jq: awk escapes"}), addresses masked`, () => {
      const run = install("failure", { jq });
      expect(run.code).toBe(0);
      const stored = runOf(pb.db, run.execution[0]!)!;
      expect(stored).toMatchObject({ status: "failed", exit_code: 100, error_category: "dependency", phase: "configuring" });
      const error = String(stored.error);
      expect(error).toMatch(/^exit_code=100 \| APT: .+ \| at line 42: apt-get install -y "jellyfin" \\\n---\n/);
      expect(error).toContain('"404  Not Found"');
      expect(error).toContain("C:\\temp\tand gave up");
      expect(error).not.toMatch(/2001:db8|192\.168|192\.x\.x\.20/);
      expect(error).toContain("[IP: x.x.x.x 3142]");
      expect(error).toContain("x:x::x");
    });
  }

  it("stores nothing when the user opted out of diagnostics", () => {
    const before = pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get();
    const run = install("failure", { diagnostics: "no" });
    expect(run.execution).toHaveLength(1); // the install ran and failed as before
    expect(runOf(pb.db, run.execution[0]!)).toBeUndefined();
    expect(pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get()).toEqual(before);
  });

  it("stores Ctrl-C as aborted, not failed", () => {
    const run = install("abort");
    expect(run.code).toBe(130);
    expect(runOf(pb.db, run.execution[0]!)).toMatchObject({ status: "aborted", exit_code: 130, error_category: "user_aborted" });
  });

  it("stores a retry from the recovery menu as a second run of the same session", () => {
    const run = install("retry");
    expect(run.execution).toHaveLength(2);
    const [first, retry] = run.execution.map((id) => runOf(pb.db, id)!);
    expect(first).toMatchObject({ status: "failed", exit_code: 137, ram_size: 2048 });
    expect(retry).toMatchObject({ status: "success", ram_size: 4096, core_count: 4, random_id: first!.random_id });
  });

  it("lets a forced final status with new information replace the earlier one (APT repair)", () => {
    const run = install("repair");
    expect(runOf(pb.db, run.execution[0]!)).toMatchObject({ status: "success", exit_code: 0, error: "" });
  });

  it("keeps a run that never reports its end as installing, at its last phase", () => {
    const run = install("unfinished");
    expect(runOf(pb.db, run.execution[0]!)).toMatchObject({ status: "installing", phase: "validation" });
  });

  it("stores VMs and a fork's runs with their repository", () => {
    expect(runOf(pb.db, install("vm").execution[0]!)).toMatchObject({ type: "vm", nsapp: "haos-vm", ct_type: 2, status: "success" });
    const fork = install("success", { repo: "https://raw.githubusercontent.com/homelab-jo/ProxmoxVE/main" });
    expect(runOf(pb.db, fork.execution[0]!)).toMatchObject({ repo_source: "external", repo_slug: "homelab-jo/ProxmoxVE", status: "success" });
    const dev = install("success", { repo: "https://raw.githubusercontent.com/community-scripts/ProxmoxVED/main" });
    expect(runOf(pb.db, dev.execution[0]!)).toMatchObject({ repo_source: "ProxmoxVED" });
  });

  it("stores host tools and addons from their one final event", () => {
    expect(install("tool").code).toBe(0);
    expect(install("tool-failed").code).toBe(3);
    expect(install("addon").code).toBe(0);
    const tools = pb.db
      // A run known only from its final event starts its duration before that event, so
      // `created` need not follow the order the three ran in: compared in a fixed order.
      .prepare("SELECT nsapp, type, status, exit_code, phase, pve_version, os_type FROM _dev_telemetry_data WHERE type IN ('pve', 'addon') ORDER BY nsapp, status")
      .all();
    expect(tools).toEqual([
      { nsapp: "cronmaster", type: "addon", status: "success", exit_code: 0, phase: "", pve_version: "", os_type: "debian" },
      { nsapp: "post-pve-install", type: "pve", status: "failed", exit_code: 3, phase: "", pve_version: "9.1.4", os_type: "" },
      { nsapp: "post-pve-install", type: "pve", status: "success", exit_code: 0, phase: "", pve_version: "9.1.4", os_type: "" },
    ]);
  });

  it("rescues an earlier client's broken heredoc and counts its retried final event once", () => {
    const res = spawnSync("bash", [join(SUPPORT, "bash", "heredoc-client.sh"), `${pb.url}/telemetry`], { encoding: "utf8", timeout: 60_000 });
    const session = /^session (\S+)$/m.exec(res.stdout)![1]!;
    sessions.push(session);
    executions.push(session);
    const [start, final, retry] = res.stdout.trim().split("\n");
    expect([start, final, retry]).toEqual(["201", "200", "200"]);
    expect(runOf(pb.db, session)).toMatchObject({
      status: "failed",
      exit_code: 100,
      disk_size: 8,
      error: 'exit_code=100 | APT: Package manager error | at line 51: $STD apt-get install -y "jellyfin"\n---\nE: Unable to locate package "jellyfin-ffmpeg7" in C:\\repo\tmain',
    });
  });

  it("stored every reported run once, and the app pages' figures equal SQL over them", async () => {
    const rows = pb.db.prepare("SELECT execution_id, random_id FROM _dev_telemetry_data WHERE type IN ('lxc', 'vm')").all() as { execution_id: string; random_id: string }[];
    expect(rows.map((r) => r.execution_id).sort()).toEqual([...executions].sort());
    expect(new Set(rows.map((r) => r.random_id))).toEqual(new Set(sessions));
    expectRollupsExact(pb.db);
    const range = presetRange("7d", new Date());
    for (const app of ["jellyfin", "haos-vm", "post-pve-install", "cronmaster"]) await expectAppFiguresEqualSql(pb.db, app, range);
  });
});
