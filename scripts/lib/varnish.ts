/**
 * Varnish (Debian's varnish package) in front of a dashboard for the load test, with the repo's
 * deploy/varnish.vcl pointed at the dashboard's port. Null when varnishd is not installed.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killOnExit, removeOnExit, ROOT } from "./dashboard-server";
import { freePort } from "./pocketbase-server";

export async function startVarnish(dashboardPort: string, log: (m: string) => void): Promise<{ url: string; stop(): Promise<void> } | null> {
  if (spawnSync("sh", ["-c", "command -v varnishd"]).status !== 0) {
    log("varnishd not found (apt-get install varnish): skipping the rows through the shared cache");
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "loadtest-varnish-"));
  removeOnExit(dir);
  chmodSync(dir, 0o755); // varnishd compiles the VCL as its own unprivileged user
  const vcl = join(dir, "default.vcl");
  writeFileSync(vcl, readFileSync(join(ROOT, "deploy", "varnish.vcl"), "utf8").replace('.port = "3000"', `.port = "${dashboardPort}"`));
  const port = await freePort();
  const child = spawn("varnishd", ["-F", "-a", `127.0.0.1:${port}`, "-f", vcl, "-n", join(dir, "work"), "-s", "malloc,256m"], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  killOnExit(child);
  let messages = "";
  child.stderr?.on("data", (d: Buffer) => (messages += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // Up once the backend probe has passed (the first probe runs at start).
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`varnishd exited during start:\n${messages}`);
    try {
      if ((await fetch(`${url}/icon.svg`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150) throw new Error(`Varnish did not answer on ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
      }),
  };
}
