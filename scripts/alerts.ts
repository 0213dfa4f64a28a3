/**
 * `npm run alerts -- <command>` (docs/ALERTS.md):
 *   worker [--once]            send alerts: rounds every ALERTS_INTERVAL_SECONDS, as ALERTS_EMAIL
 *   add --format F --url URL   subscribe (superuser): [--apps "a b"] [--events e1,e2] [--min-excess N]
 *                              [--name TEXT] [--secret S]; a webhook without --secret gets one, printed once
 *   list                       subscriptions (host only, never the URL's path or the secret) and their deliveries
 *   remove ID                  delete a subscription and its deliveries
 *   account --email E --password P   create or update an alert_workers account (superuser)
 * PocketBase from POCKETBASE_URL; the superuser from POCKETBASE_SUPERUSER_EMAIL /
 * POCKETBASE_SUPERUSER_PASSWORD, else the demo's .data/credentials.json.
 */
import PocketBase from "pocketbase";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { ALERT_EVENTS, type AlertEventKind } from "../lib/alerts/events";
import { resolveTarget, TargetRefused } from "../lib/alerts/ssrf";
import { DELIVERIES, SUBSCRIPTIONS, type Subscription, WORKERS } from "../lib/data/alerts";
import { runWorker, workerOptions, workerStore } from "../lib/alerts/run";
import { runRound } from "../lib/alerts/worker";
import { alertsConfig, serverConfig } from "../lib/config";
import { superuserCredentials } from "./lib/superuser";

const USAGE = `usage: npm run alerts -- worker [--once]
       npm run alerts -- add --format discord|slack|webhook --url URL [--apps "a b"] [--events ${ALERT_EVENTS.join(",")}] [--min-excess N] [--name TEXT] [--secret S]
       npm run alerts -- list
       npm run alerts -- remove ID
       npm run alerts -- account --email E --password P`;

function die(message: string, code = 1): never {
  console.error(`alerts: ${message}`);
  process.exit(code);
}

async function superuserClient(): Promise<PocketBase> {
  const su = superuserCredentials() ?? die("set POCKETBASE_SUPERUSER_EMAIL and POCKETBASE_SUPERUSER_PASSWORD (or run the demo once for .data/credentials.json)");
  const pb = new PocketBase(serverConfig().pocketbaseUrl);
  pb.autoCancellation(false); // list counts each subscription's deliveries in parallel
  await pb.collection("_superusers").authWithPassword(su.email, su.password);
  return pb;
}

async function worker(once: boolean) {
  const config = alertsConfig();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  if (once) {
    const report = await runRound(workerOptions(await workerStore(config), config, log));
    console.log(JSON.stringify(report));
    return;
  }
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  log(`alerts: worker started, a round every ${config.intervalMs / 1000} s`);
  await runWorker(config, stop.signal, log, (r) => {
    if (r.claimed || r.sent || r.failed || r.retrying) log(`alerts: ${JSON.stringify(r)}`);
  });
}

async function add(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      format: { type: "string" },
      url: { type: "string" },
      apps: { type: "string" },
      events: { type: "string" },
      "min-excess": { type: "string" },
      name: { type: "string" },
      secret: { type: "string" },
    },
  });
  const format = values.format;
  if (format !== "discord" && format !== "slack" && format !== "webhook") die(`--format must be discord, slack or webhook\n${USAGE}`, 2);
  if (!values.url) die(`--url is required\n${USAGE}`, 2);
  try {
    await resolveTarget(values.url, alertsConfig().allowPrivateTargets);
  } catch (err) {
    if (err instanceof TargetRefused) die(`--url refused: ${err.message}`, 2);
    throw err;
  }
  const events = (values.events ?? ALERT_EVENTS.join(",")).split(",").filter(Boolean);
  const unknown = events.filter((e) => !(ALERT_EVENTS as readonly string[]).includes(e));
  if (unknown.length || events.length === 0) die(`--events: ${unknown.join(", ") || "none"} — expected some of ${ALERT_EVENTS.join(", ")}`, 2);
  const minExcess = Number(values["min-excess"] ?? 0);
  if (!Number.isInteger(minExcess) || minExcess < 0) die("--min-excess must be a whole number ≥ 0", 2);
  const apps = (values.apps ?? "").split(/[\s,]+/).filter(Boolean);
  const bad = apps.filter((a) => !/^[a-z0-9][a-z0-9.-]*$/.test(a));
  if (bad.length) die(`--apps: ${bad.join(", ")} are not script names`, 2);
  let secret = values.secret ?? "";
  if (format === "webhook" && !secret) secret = randomBytes(24).toString("base64url");
  if (format === "webhook" && secret.length < 16) die("--secret must have at least 16 characters", 2);
  const pb = await superuserClient();
  const rec = await pb.collection(SUBSCRIPTIONS).create<Subscription>({
    name: values.name ?? "",
    format,
    url: values.url,
    secret: format === "webhook" ? secret : "",
    apps: apps.join(" "),
    events: events as AlertEventKind[],
    min_excess: minExcess,
    active: true,
  });
  console.log(`subscription ${rec.id}: ${format} to ${new URL(values.url).host}, ${apps.length ? apps.join(" ") : "every app"}, ${events.join(", ")}, min excess ${minExcess}`);
  if (format === "webhook" && !values.secret) console.log(`secret (shown once; verify X-Alert-Signature-256 with it): ${secret}`);
}

async function list() {
  const pb = await superuserClient();
  const subs = await pb.collection(SUBSCRIPTIONS).getFullList<Subscription>({ sort: "created" });
  for (const s of subs) {
    const states = await Promise.all(
      (["pending", "sent", "failed"] as const).map(
        async (state) =>
          `${state} ${(await pb.collection(DELIVERIES).getList(1, 1, { filter: pb.filter("subscription = {:s} && state = {:state}", { s: s.id, state }) })).totalItems}`,
      ),
    );
    console.log(
      `${s.id} ${s.active ? "active" : "off"} ${s.format} ${new URL(s.url).host} "${s.name}" apps: ${s.apps || "all"} events: ${s.events.join(",")} min excess: ${s.min_excess} — ${states.join(", ")}`,
    );
  }
  if (subs.length === 0) console.log("no subscriptions");
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "worker") return worker(rest.includes("--once"));
  if (command === "add") return add(rest);
  if (command === "list") return list();
  if (command === "remove") {
    if (!rest[0]) die(USAGE, 2);
    await (await superuserClient()).collection(SUBSCRIPTIONS).delete(rest[0]);
    return console.log(`subscription ${rest[0]} removed`);
  }
  if (command === "account") {
    const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, password: { type: "string" } } });
    if (!values.email || !values.password || values.password.length < 8) die("account needs --email and --password (at least 8 characters)", 2);
    const pb = await superuserClient();
    const body = { email: values.email, password: values.password, passwordConfirm: values.password, verified: true };
    const found = await pb.collection(WORKERS).getList(1, 1, { filter: pb.filter("email = {:e}", { e: values.email }) });
    if (found.items[0]) await pb.collection(WORKERS).update(found.items[0].id, body);
    else await pb.collection(WORKERS).create(body);
    return console.log(`alert worker account ${values.email} saved: give the worker ALERTS_EMAIL and ALERTS_PASSWORD`);
  }
  die(USAGE, 2);
}

await main().catch((err: unknown) => die((err as Error).message));
