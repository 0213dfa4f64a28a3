/// <reference path="../pb_data/types.d.ts" />
// Script changes into the `script_changes` collection (docs/CHANGES.md):
//   POST /api/script-changes/github  GitHub's push webhook, signed with GITHUB_WEBHOOK_SECRET
//   POST /api/script-changes/import  the backfill of `npm run changes:import` (superuser only)
// In PocketBase, not the dashboard, so a push is recorded while the dashboard is down or
// redeployed (GitHub does not retry a failed delivery by itself) and the dashboard keeps only
// its read-only account. Install: copy this file and the script_changes/ directory into
// pb_hooks, set GITHUB_WEBHOOK_SECRET in PocketBase's environment, restart.

routerAdd("POST", "/api/script-changes/github", (e) => require(`${__hooks}/script_changes/store.js`).handleGithub(e));

routerAdd("POST", "/api/script-changes/import", (e) => require(`${__hooks}/script_changes/store.js`).handleImport(e), $apis.requireSuperuserAuth());
