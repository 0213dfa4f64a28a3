/**
 * Alerts end to end on a real PocketBase seeded with the generator and the demo's script
 * changes (docs/ALERTS.md): the regressions and the incident the scan finds go to local HTTP
 * receivers in Discord's, Slack's and the generic webhook's formats — exactly once per
 * subscription and event with two workers racing on the same PocketBase, and not again from a
 * third, separate worker process (`npm run alerts -- worker --once`); a target answering 500 is
 * retried with backoff and then marked failed, one answering 500 twice and then 200 is sent on
 * the third try, a 404 is given up at once; targets on private addresses are refused unless
 * allowed; nothing of a subscription is readable without the worker's account.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertEvents, type AlertEvent, type RegressionAlert } from "../../lib/alerts/events";
import { currentFindings } from "../../lib/alerts/run";
import { type Findings, matches, runRound, type WorkerOptions } from "../../lib/alerts/worker";
import { alertsConfig, type AlertsConfig } from "../../lib/config";
import { openAlertStore } from "../../lib/data";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { demoChanges, insertDemoChanges } from "../../scripts/lib/demo-changes";
import { generateRows } from "../../scripts/lib/generate";
import { AlertReceiver, DiscordWebhook, GenericWebhook, SlackWebhook, validSignature } from "../support/alert-receiver";
import { api, READER, startTestPocketBase, SUPERUSER, type TestPocketBase } from "../support/pocketbase";

const WORKER = { email: "alerts-worker@example.com", password: "alerts-worker-password" };
const SECRET = "test-hmac-secret-0123456789";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const now = new Date();
const seedEnd = new Date(now.getTime() - 3_600_000);

const config = (over: Partial<AlertsConfig> = {}): AlertsConfig => ({
  ...alertsConfig({}),
  allowPrivateTargets: true,
  retryBaseMs: 300,
  maxAttempts: 3,
  timeoutMs: 5000,
  maxAgeHours: 24 * 30,
  publicOrigin: "https://stats.example.org",
  ...over,
});

describe("alerts", () => {
  let pb: TestPocketBase;
  const receiver = new AlertReceiver();
  let findings: Findings;
  let events: AlertEvent[];
  const subs: Record<string, string> = {};

  const su = (path: string, init: { method?: string; body?: unknown } = {}) => api(pb.url, path, { ...init, token: pb.superuserToken });
  const subscribe = async (name: string, body: Record<string, unknown>) => {
    const res = await su("/api/collections/alert_subscriptions/records", {
      method: "POST",
      body: { name, active: true, events: ["regression_opened", "regression_closed", "incident"], ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    subs[name] = String(res.body.id);
  };
  const worker = async (id: string, over: Partial<AlertsConfig> = {}): Promise<WorkerOptions> => {
    return { store: await openAlertStore(WORKER.email, WORKER.password), config: config(over), id, findings: async () => findings };
  };
  const deliveries = () =>
    pb.db.prepare("SELECT d.id, d.subscription, d.event_key, d.state, d.attempts, d.last_status, d.last_error FROM alert_deliveries d ORDER BY d.event_key").all() as {
      id: string;
      subscription: string;
      event_key: string;
      state: string;
      attempts: number;
      last_status: number;
      last_error: string;
    }[];
  const pending = () => deliveries().filter((d) => d.state === "pending").length;
  /** Rounds of both workers at once until nothing is pending (retries wait out their backoff). */
  const race = async (a: WorkerOptions, b: WorkerOptions) => {
    for (let round = 0; round < 40; round++) {
      await Promise.all([runRound(a), runRound(b)]);
      if (round > 0 && pending() === 0) return;
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => {
        insertRows(join(dir, "data.db"), generateRows({ seed: 2026, days: 30, runsPerDay: 3000, end: seedEnd }), { maintainRollups: false });
        insertDemoChanges(join(dir, "data.db"), seedEnd);
      },
    });
    pb.useForDataLayer();
    await receiver.start();
    const account = await su("/api/collections/alert_workers/records", { method: "POST", body: { ...WORKER, passwordConfirm: WORKER.password, verified: true } });
    expect(account.status).toBe(200);
    findings = await currentFindings(now);
    events = alertEvents(findings.regressions, findings.causes, findings.incidents, { now, origin: "https://stats.example.org", maxAgeHours: 24 * 30 });
    await subscribe("discord", { format: "discord", url: receiver.script("/discord", { status: 204 }) });
    await subscribe("slack", { format: "slack", url: receiver.script("/slack", { status: 200, body: "ok" }), apps: "docker, plex immich" });
    await subscribe("webhook", { format: "webhook", url: receiver.script("/hook", { status: 200 }), secret: SECRET, min_excess: 20 });
    await subscribe("flaky", { format: "webhook", url: receiver.script("/flaky", { first: [500, 503], status: 200 }), secret: SECRET, events: ["incident"] });
    await subscribe("down", { format: "discord", url: receiver.script("/down", { status: 500 }), events: ["incident"] });
    await subscribe("gone", { format: "slack", url: receiver.script("/gone", { status: 404 }), events: ["incident"] });
  }, 240_000);
  afterAll(async () => {
    await receiver.stop();
    await pb?.stop();
  });

  const expectedKeys = (filter: Parameters<typeof matches>[0]) =>
    events
      .filter((e) => matches(filter, e))
      .map((e) => e.key)
      .sort();

  it("sends each event once per matching subscription with two workers racing, in each service's format", { timeout: 120_000 }, async () => {
    expect(findings.incidents.length).toBeGreaterThanOrEqual(1);
    // The seeded regressions of the last 7 days, each with its seeded change as the likely cause
    // (scripts/lib/demo-changes.ts); the incident's apps are told by the incident, not one by one.
    const seeded = new Map(
      demoChanges(seedEnd)
        .filter((c) => c.causes)
        .map((c) => [c.apps[0], c.sha]),
    );
    const opened = events.filter((e): e is RegressionAlert => e.kind === "regression_opened");
    expect(opened.map((e) => e.nsapp).sort()).toEqual(["alpine", "immich", "nginxproxymanager"]);
    for (const e of opened) expect(e.likely_cause?.sha, e.nsapp).toBe(seeded.get(e.nsapp));
    expect(findings.regressions.filter((r) => r.incident).length).toBeGreaterThanOrEqual(3);

    const [a, b] = await Promise.all([worker("worker-a"), worker("worker-b")]);
    await race(a, b);

    const all = { apps: "", events: ["regression_opened", "regression_closed", "incident"] as AlertEvent["kind"][], min_excess: 0 };
    const discordKeys = expectedKeys(all);
    const sentKeys = (path: string, key: (r: { body: string }) => string) => receiver.on(path).map(key).sort();
    const discordTitles = receiver.on("/discord").map((r) => DiscordWebhook.parse(JSON.parse(r.body)).embeds[0]!.title);
    expect(discordTitles).toHaveLength(discordKeys.length);
    // Each Discord message is one event: one per key, so titles map back one to one.
    expect(
      new Set(
        deliveries()
          .filter((d) => d.subscription === subs.discord)
          .map((d) => d.event_key),
      ),
    ).toEqual(new Set(discordKeys));
    expect(
      deliveries()
        .filter((d) => d.subscription === subs.discord)
        .every((d) => d.state === "sent" && d.attempts === 1),
    ).toBe(true);
    expect(discordKeys.some((k) => k.startsWith("regression_closed"))).toBe(true);

    const slackKeys = expectedKeys({ ...all, apps: "docker, plex immich" });
    expect(slackKeys.length).toBeGreaterThanOrEqual(2);
    for (const r of receiver.on("/slack")) SlackWebhook.parse(JSON.parse(r.body));
    expect(receiver.on("/slack")).toHaveLength(slackKeys.length);

    const hookKeys = expectedKeys({ ...all, min_excess: 20 });
    const hooks = receiver.on("/hook");
    for (const r of hooks) {
      expect(validSignature(r, SECRET)).toBe(true);
      expect(validSignature(r, `${SECRET}x`)).toBe(false);
      const body = GenericWebhook.parse(JSON.parse(r.body));
      expect(r.headers["x-alert-delivery"]).toBe(body.id);
      expect(r.headers["x-alert-event"]).toBe(body.event);
    }
    expect(sentKeys("/hook", (r) => GenericWebhook.parse(JSON.parse(r.body)).data.key)).toEqual(hookKeys);
    // min_excess held: nothing under 20 excess failures.
    expect(hooks.every((r) => (JSON.parse(r.body) as { data: { excess_failures: number } }).data.excess_failures >= 20)).toBe(true);

    // Opened regressions carry their likely cause and a prefilled GitHub issue link.
    const openedSent = hooks.map((r) => (JSON.parse(r.body) as { data: AlertEvent }).data).filter((e) => e.kind === "regression_opened");
    expect(openedSent.length).toBeGreaterThan(0);
    for (const e of openedSent) {
      if (e.kind !== "regression_opened") continue;
      expect(e.links.report).toMatch(/^https:\/\/github\.com\/community-scripts\/ProxmoxVE\/issues\/new\?/);
      expect(e.links.app).toBe(`https://stats.example.org/apps/${e.nsapp}`);
    }
    // Every attempt record is one HTTP request: two workers never both sent one.
    const attempts = pb.db.prepare("SELECT COUNT(*) AS n FROM alert_attempts").get() as { n: number };
    expect(attempts.n).toBe(receiver.received.length);
  });

  it("retries a target answering 5xx with growing waits, then sends; gives up after the last try or at once on a 404", () => {
    const incidents = events.filter((e) => e.kind === "incident").length;
    const flaky = receiver.on("/flaky");
    expect(flaky).toHaveLength(3 * incidents);
    const ids = new Set(flaky.map((r) => r.headers["x-alert-delivery"]));
    expect(ids.size).toBe(incidents); // retries of one delivery carry its id: a receiver can drop repeats
    expect(flaky.map((r) => (JSON.parse(r.body) as { attempt: number }).attempt).sort()).toEqual(
      Array.from({ length: incidents }, () => [1, 2, 3])
        .flat()
        .sort(),
    );
    const flakyRows = deliveries().filter((d) => d.subscription === subs.flaky);
    expect(flakyRows.map((d) => [d.state, d.attempts])).toEqual(flakyRows.map(() => ["sent", 3]));
    // Backoff: 300 ms, then 600 ms (base · 2^(n−1)).
    const first = flaky.filter((r) => r.headers["x-alert-delivery"] === flaky[0]!.headers["x-alert-delivery"]).map((r) => r.at);
    expect(first[1]! - first[0]!).toBeGreaterThanOrEqual(300);
    expect(first[2]! - first[1]!).toBeGreaterThanOrEqual(600);

    expect(receiver.on("/down")).toHaveLength(3 * incidents);
    expect(
      deliveries()
        .filter((d) => d.subscription === subs.down)
        .map((d) => [d.state, d.attempts, d.last_status]),
    ).toEqual(Array.from({ length: incidents }, () => ["failed", 3, 500]));
    expect(receiver.on("/gone")).toHaveLength(incidents);
    expect(
      deliveries()
        .filter((d) => d.subscription === subs.gone)
        .map((d) => [d.state, d.attempts, d.last_status]),
    ).toEqual(Array.from({ length: incidents }, () => ["failed", 1, 404]));
  });

  it("sends nothing again from a separate worker process (npm run alerts -- worker --once)", { timeout: 120_000 }, async () => {
    const before = receiver.received.length;
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", join(ROOT, "scripts/alerts.ts"), "worker", "--once"], {
        cwd: ROOT,
        env: {
          ...process.env,
          POCKETBASE_URL: pb.url,
          ALERTS_EMAIL: WORKER.email,
          ALERTS_PASSWORD: WORKER.password,
          ALERTS_ALLOW_PRIVATE_TARGETS: "1",
          ALERTS_MAX_AGE_HOURS: String(24 * 30),
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c));
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { events: number; claimed: number; sent: number };
    expect(report.events).toBeGreaterThan(0);
    expect(report).toMatchObject({ claimed: 0, sent: 0 });
    expect(receiver.received.length).toBe(before);
  });

  it("refuses targets on loopback, private, link-local and metadata addresses unless allowed", { timeout: 60_000 }, async () => {
    await subscribe("ssrf-loopback", { format: "webhook", url: receiver.script("/ssrf", { status: 200 }), secret: SECRET, events: ["incident"] });
    await subscribe("ssrf-metadata", { format: "slack", url: "http://169.254.169.254/latest/meta-data/", events: ["incident"] });
    await subscribe("ssrf-mapped", { format: "discord", url: "http://[::ffff:10.0.0.1]/api/webhooks/1/x", events: ["incident"] });
    const strict = await worker("worker-strict", { allowPrivateTargets: false });
    await runRound(strict);
    expect(receiver.on("/ssrf")).toEqual([]);
    for (const name of ["ssrf-loopback", "ssrf-metadata", "ssrf-mapped"]) {
      const rows = deliveries().filter((d) => d.subscription === subs[name]);
      expect(rows.length, name).toBeGreaterThan(0);
      for (const d of rows) {
        expect(d.state).toBe("failed");
        expect(d.last_error).toMatch(/^refused: .* resolves to .*(private|loopback)/);
        // The URL's path is the webhook's credential: never in a recorded error.
        expect(d.last_error).not.toMatch(/meta-data|api\/webhooks|\/ssrf/);
      }
    }
  });

  it("subscribes from the command line: refuses a private target, stores one, lists it without its URL's path or secret, removes it; makes a worker account", {
    timeout: 120_000,
  }, async () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", join(ROOT, "scripts/alerts.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, POCKETBASE_URL: pb.url, POCKETBASE_SUPERUSER_EMAIL: SUPERUSER.email, POCKETBASE_SUPERUSER_PASSWORD: SUPERUSER.password, ...env },
      });
    const target = receiver.script("/cli/secret-path-token", { status: 200 });
    const refused = cli(["add", "--format", "webhook", "--url", target, "--apps", "docker"]);
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringMatching(/--url refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1/)]);
    expect(cli(["add", "--format", "telegram", "--url", target]).status).toBe(2);
    const added = cli(["add", "--format", "webhook", "--url", target, "--apps", "docker,jellyfin", "--events", "incident,regression_opened", "--min-excess", "10"], {
      ALERTS_ALLOW_PRIVATE_TARGETS: "1",
    });
    expect(added.status, added.stderr).toBe(0);
    const id = /subscription (\w+):/.exec(added.stdout)![1]!;
    const secret = /secret \(shown once[^)]*\): (\S+)/.exec(added.stdout)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(16);
    const row = (await su(`/api/collections/alert_subscriptions/records/${id}`)).body;
    expect(row).toMatchObject({ format: "webhook", url: target, secret, apps: "docker jellyfin", events: ["incident", "regression_opened"], min_excess: 10, active: true });
    const listed = cli(["list"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${id} active webhook 127.0.0.1:`);
    expect(listed.stdout).not.toMatch(/secret-path-token|api\/webhooks/);
    expect(listed.stdout).not.toContain(secret);
    expect(cli(["remove", id]).status).toBe(0);
    const account = cli(["account", "--email", "second-worker@example.com", "--password", "second-worker-password"]);
    expect(account.status, account.stderr).toBe(0);
    await expect(openAlertStore("second-worker@example.com", "second-worker-password")).resolves.toBeDefined();
    expect((await su(`/api/collections/alert_subscriptions/records/${id}`)).status).toBe(404);
  });

  it("keeps subscriptions, their URLs and secrets from everyone but superusers and alert workers", async () => {
    for (const collection of ["alert_subscriptions", "alert_deliveries", "alert_attempts", "alert_workers"]) {
      const anonymous = await api(pb.url, `/api/collections/${collection}/records`);
      expect(anonymous.body.items ?? [], collection).toEqual([]);
      const view = await api(pb.url, `/api/collections/${collection}/records/${subs.webhook}`);
      expect(view.status).toBe(404);
    }
    const readerAuth = await api(pb.url, "/api/collections/telemetry_readers/auth-with-password", { method: "POST", body: { identity: READER.email, password: READER.password } });
    const token = String(readerAuth.body.token);
    const asReader = await api(pb.url, "/api/collections/alert_subscriptions/records", { token });
    expect(asReader.body.items).toEqual([]);
    expect(JSON.stringify(asReader.body)).not.toContain(SECRET);
    // Nobody but a superuser writes a subscription, not even a worker.
    const workerAuth = await api(pb.url, "/api/collections/alert_workers/auth-with-password", { method: "POST", body: { identity: WORKER.email, password: WORKER.password } });
    const asWorker = String(workerAuth.body.token);
    const body = { format: "webhook", url: "https://example.org/x", events: ["incident"] };
    expect((await api(pb.url, "/api/collections/alert_subscriptions/records", { method: "POST", body, token: asWorker })).status).toBe(403);
    expect((await api(pb.url, `/api/collections/alert_subscriptions/records/${subs.discord}`, { method: "PATCH", body, token: asWorker })).status).toBe(403);
    // The worker itself reads them (it must, to send).
    expect((await api(pb.url, `/api/collections/alert_subscriptions/records/${subs.webhook}`, { token: asWorker })).body.secret).toBe(SECRET);
    expect((await su(`/api/collections/alert_subscriptions/records/${subs.webhook}`)).body.secret).toBe(SECRET);
  });
});
