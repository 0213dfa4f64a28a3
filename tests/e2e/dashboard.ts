/**
 * Starts a production dashboard (dist/server.mjs, as `npm start`) for the end-to-end tests:
 * the shared one in global-setup.ts, and the second ones some tests need with other settings
 * (a low rate limit, a dead or slow PocketBase, a narrow framing policy). By default it reads
 * the shared PocketBase as the reader; `env` overrides any of that.
 */
import { spawn } from "node:child_process";
import { freePort } from "../../scripts/lib/pocketbase-server";

export interface Dashboard {
  url: string;
  stop: () => void;
}

export async function startDashboard(
  env: Record<string, string | undefined> = {},
  opts: { nodeArgs?: string[]; stderr?: "inherit" | "ignore"; readyPath?: string } = {},
): Promise<Dashboard> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "dist/server.mjs"], {
    stdio: ["ignore", "ignore", opts.stderr ?? "ignore"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      POCKETBASE_URL: process.env.E2E_PB_URL,
      POCKETBASE_READER_EMAIL: process.env.E2E_READER_EMAIL,
      POCKETBASE_READER_PASSWORD: process.env.E2E_READER_PASSWORD,
      ...env,
    },
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  };
  // Up once it answers (a static file by default: no PocketBase needed, never rate limited).
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(`${url}${opts.readyPath ?? "/icon.svg"}`).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0 && status < 500) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`the dashboard on ${url} did not start (exit code ${child.exitCode})`);
}
