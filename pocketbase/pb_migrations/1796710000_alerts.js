/// <reference path="../pb_data/types.d.ts" />
// Alerts to maintainers' own channels (docs/ALERTS.md).
//  - alert_workers: the accounts the alert worker (`npm run alerts -- worker`) logs in with.
//    Made by a superuser; nobody signs up.
//  - alert_subscriptions: who gets what — a target (Discord or Slack incoming webhook, or a
//    generic JSON webhook signed with HMAC-SHA256), the apps, the events, a minimum size.
//    Webhook URLs carry their own credential and `secret` is one: only superusers (the admin
//    UI) and alert workers may read them; nobody else, the dashboard's reader included.
//  - alert_deliveries: one row per subscription and event — the unique index is the claim
//    that makes every event go out once per subscription, however many workers run.
//  - alert_attempts: one row per try of a delivery — the unique (delivery, number) index is
//    the claim on that try, so two workers never send the same delivery at once.

const WORKERS = "alert_workers";
const SUBSCRIPTIONS = "alert_subscriptions";
const DELIVERIES = "alert_deliveries";
const ATTEMPTS = "alert_attempts";
const WORKER_RULE = '@request.auth.collectionName = "' + WORKERS + '"';
const EVENTS = ["regression_opened", "regression_closed", "incident"];

function findOrNull(app, name) {
  try {
    return app.findCollectionByNameOrId(name);
  } catch (_) {
    return null;
  }
}

migrate(
  (app) => {
    if (!findOrNull(app, WORKERS)) {
      app.save(
        new Collection({
          type: "auth",
          name: WORKERS,
          listRule: "id = @request.auth.id",
          viewRule: "id = @request.auth.id",
          createRule: null,
          updateRule: null,
          deleteRule: null,
          passwordAuth: { enabled: true, identityFields: ["email"] },
        }),
      );
    }
    let subscriptions = findOrNull(app, SUBSCRIPTIONS);
    if (!subscriptions) {
      subscriptions = new Collection({
        type: "base",
        name: SUBSCRIPTIONS,
        listRule: WORKER_RULE,
        viewRule: WORKER_RULE,
        createRule: null,
        updateRule: null,
        deleteRule: null,
        fields: [
          { name: "name", type: "text", max: 100 },
          { name: "format", type: "select", required: true, maxSelect: 1, values: ["discord", "slack", "webhook"] },
          { name: "url", type: "url", required: true },
          // The generic webhook's HMAC-SHA256 key (at least 16 characters); unused by Discord and Slack.
          { name: "secret", type: "text", max: 200 },
          // App names separated by spaces or commas; empty: every app.
          { name: "apps", type: "text", max: 5000 },
          { name: "events", type: "select", required: true, maxSelect: EVENTS.length, values: EVENTS },
          // Regressions and incidents with fewer excess failures are not sent.
          { name: "min_excess", type: "number", min: 0, onlyInt: true },
          { name: "active", type: "bool" },
          { name: "created", type: "autodate", onCreate: true, onUpdate: false },
          { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
        ],
      });
      app.save(subscriptions);
    }
    let deliveries = findOrNull(app, DELIVERIES);
    if (!deliveries) {
      deliveries = new Collection({
        type: "base",
        name: DELIVERIES,
        listRule: WORKER_RULE,
        viewRule: WORKER_RULE,
        createRule: WORKER_RULE,
        updateRule: WORKER_RULE,
        deleteRule: null,
        fields: [
          { name: "subscription", type: "relation", required: true, collectionId: subscriptions.id, cascadeDelete: true, maxSelect: 1 },
          // What the event is about, e.g. "regression_opened docker 2026-12-05"; one delivery per subscription and key.
          { name: "event_key", type: "text", required: true, max: 300 },
          { name: "event", type: "json", maxSize: 200000 },
          { name: "state", type: "select", required: true, maxSelect: 1, values: ["pending", "sent", "failed"] },
          { name: "attempts", type: "number", min: 0, onlyInt: true },
          { name: "next_attempt", type: "date" },
          { name: "last_status", type: "number", onlyInt: true },
          { name: "last_error", type: "text", max: 500 },
          { name: "sent", type: "date" },
          { name: "created", type: "autodate", onCreate: true, onUpdate: false },
          { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
        ],
        indexes: [
          "CREATE UNIQUE INDEX idx_alert_deliveries_claim ON " + DELIVERIES + " (subscription, event_key)",
          "CREATE INDEX idx_alert_deliveries_due ON " + DELIVERIES + " (state, next_attempt)",
        ],
      });
      app.save(deliveries);
    }
    if (!findOrNull(app, ATTEMPTS)) {
      app.save(
        new Collection({
          type: "base",
          name: ATTEMPTS,
          listRule: WORKER_RULE,
          viewRule: WORKER_RULE,
          createRule: WORKER_RULE,
          updateRule: WORKER_RULE,
          deleteRule: null,
          fields: [
            { name: "delivery", type: "relation", required: true, collectionId: deliveries.id, cascadeDelete: true, maxSelect: 1 },
            { name: "number", type: "number", required: true, min: 1, onlyInt: true },
            { name: "worker", type: "text", max: 100 },
            { name: "status", type: "number", onlyInt: true },
            { name: "error", type: "text", max: 500 },
            { name: "ms", type: "number", min: 0 },
            { name: "finished", type: "date" },
            { name: "created", type: "autodate", onCreate: true, onUpdate: false },
          ],
          indexes: ["CREATE UNIQUE INDEX idx_alert_attempts_claim ON " + ATTEMPTS + " (delivery, number)"],
        }),
      );
    }
  },
  (app) => {
    for (const name of [ATTEMPTS, DELIVERIES, SUBSCRIPTIONS, WORKERS]) {
      const c = findOrNull(app, name);
      if (c) app.delete(c);
    }
  },
);
