/**
 * Starts what the end-to-end tests use: a real PocketBase with 30 days of generated runs, and
 * the dashboard as a production build. Returns the teardown. Shares the URLs and the data dir
 * with the tests through environment variables (inherited by the test workers).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, migrate, servePocketBase, upsertReader, upsertSuperuser } from "../../scripts/lib/pocketbase-server";
import { insertE2eRows } from "../support/e2e-seed";
import { sendPiiEvents } from "../support/pii-traces";
import { startDashboard } from "./dashboard";

const SUPERUSER = { email: "e2e-admin@example.com", password: "e2e-admin-password" };
const READER = { email: "e2e-reader@example.com", password: "e2e-reader-password" };

export default async function globalSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), "pb-e2e-"));
  migrate(dataDir);
  upsertSuperuser(dataDir, SUPERUSER.email, SUPERUSER.password);
  const end = insertE2eRows(join(dataDir, "data.db"));
  const pb = await servePocketBase(dataDir, await freePort(), { quiet: true });
  await upsertReader(pb.url, SUPERUSER, READER);
  // Failure traces full of private details, through the real ingest: privacy.spec.ts looks for them everywhere.
  await sendPiiEvents(pb.url);

  if (!process.env.E2E_SKIP_BUILD) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  // The production server (npm start), as deployed; rate limits are raised for the test traffic
  // (tests/e2e/serving.spec.ts starts its own server to test them). Ready once `/` renders.
  const dashboard = await startDashboard(
    {
      RATE_LIMIT_PER_MINUTE: "100000",
      RATE_LIMIT_BURST: "100000",
      POCKETBASE_URL: pb.url,
      POCKETBASE_READER_EMAIL: READER.email,
      POCKETBASE_READER_PASSWORD: READER.password,
    },
    { nodeArgs: ["--trace-warnings"], stderr: "inherit", readyPath: "/" },
  );
  const appUrl = dashboard.url;

  process.env.E2E_APP_URL = appUrl;
  process.env.E2E_PB_URL = pb.url;
  process.env.E2E_READER_EMAIL = READER.email;
  process.env.E2E_READER_PASSWORD = READER.password;
  process.env.E2E_DATA_DIR = dataDir;
  // The seeded events (scripts/lib/demo-events.ts) are placed relative to it.
  process.env.E2E_DATA_END = end.toISOString();

  return async () => {
    dashboard.stop();
    await pb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
