/**
 * A real PocketBase for one test file: temporary data dir, migrations applied, a superuser and
 * a dashboard reader, served on a free port. Optional seeding runs before the server starts.
 * The migrations are applied once per set of migration files and PocketBase binary (a template
 * under the temporary directory, ~13 s of `pocketbase migrate up`); each test's data dir is a
 * copy of it.
 */
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPocketBaseBinary, freePort, migrate, POCKETBASE_DIRS, servePocketBase, upsertReader, upsertSuperuser } from "../../scripts/lib/pocketbase-server";

/** A data dir with every migration applied: copied from a template made once for these migrations and this binary. */
function migratedDataDir(): string {
  const hash = createHash("sha256").update(findPocketBaseBinary());
  for (const f of readdirSync(POCKETBASE_DIRS.migrations).sort()) hash.update(f).update(readFileSync(join(POCKETBASE_DIRS.migrations, f)));
  const template = join(tmpdir(), `pb-template-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(template)) {
    const building = mkdtempSync(join(tmpdir(), "pb-template-building-"));
    migrate(building);
    try {
      renameSync(building, template); // atomic: another worker that made one first keeps its own
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), "pb-test-"));
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

export const SUPERUSER = { email: "test-admin@example.com", password: "test-admin-password" };
export const READER = { email: "test-reader@example.com", password: "test-reader-password" };

/** The telemetry collection's records, as the install scripts address them. */
export const RECORDS = "/api/collections/_dev_telemetry_data/records";

/** What post_to_api sends when an LXC install starts (PocketBase-era misc/api.func). */
export function installerPost(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ct_type: 1,
    type: "lxc",
    disk_size: 4,
    core_count: 2,
    ram_size: 2048,
    os_type: "debian",
    os_version: "13",
    nsapp: "docker",
    method: "default",
    pve_version: "9.0.3",
    status: "installing",
    random_id: randomUUID(),
    ...overrides,
  };
}

export interface TestPocketBase {
  url: string;
  dataDir: string;
  superuserToken: string;
  /** A read/write SQLite connection to PocketBase's data.db (WAL: safe beside the server). */
  db: Database.Database;
  /** Points the data layer (lib/config.ts) at this server (or at `url`, e.g. a proxy in front of it). */
  useForDataLayer(url?: string): void;
  /** The PocketBase process, for fault tests (SIGSTOP/SIGCONT). */
  pid(): number;
  /** Stops the server but keeps its data; `start()` serves the same data on the same port again. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPocketBase(opts: { seed?: (dataDir: string) => void; batch?: boolean } = {}): Promise<TestPocketBase> {
  const dataDir = migratedDataDir();
  upsertSuperuser(dataDir, SUPERUSER.email, SUPERUSER.password);
  opts.seed?.(dataDir);
  const port = await freePort();
  let server = await servePocketBase(dataDir, port, { quiet: true });
  const superuserToken = await upsertReader(server.url, SUPERUSER, READER);
  if (opts.batch) {
    const res = await fetch(`${server.url}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: superuserToken },
      body: JSON.stringify({ batch: { enabled: true, maxRequests: 100, timeout: 10 } }),
    });
    if (!res.ok) throw new Error(`enabling batch API failed: ${res.status}`);
  }
  const db = new Database(join(dataDir, "data.db"));
  db.pragma("busy_timeout = 10000");
  return {
    url: server.url,
    dataDir,
    superuserToken,
    db,
    useForDataLayer(url = server.url) {
      process.env.POCKETBASE_URL = url;
      process.env.POCKETBASE_READER_EMAIL = READER.email;
      process.env.POCKETBASE_READER_PASSWORD = READER.password;
    },
    pid: () => server.process.pid ?? 0,
    kill: () => server.stop(),
    async start() {
      server = await servePocketBase(dataDir, port, { quiet: true });
    },
    async stop() {
      db.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper for the REST API; returns status and parsed body. */
export async function api(url: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? "GET",
    headers: { "content-type": "application/json", ...(init.token ? { authorization: init.token } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
