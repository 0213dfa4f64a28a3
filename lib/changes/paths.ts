/**
 * Which apps a change to the scripts' repository touches: path → app (docs/CHANGES.md).
 *
 * Pure and dependency-free on purpose: PocketBase's hook (pb_hooks/script_changes.pb.js) runs
 * this very module, bundled by `npm run gen:changes-hook` into
 * pocketbase/pb_hooks/script_changes/paths.js, so the webhook, the backfill and the dashboard
 * map paths one way. A unit test fails when the bundle is stale.
 *
 * Layouts covered: community-scripts/ProxmoxVE (ct/, install/, vm/, tools/addon/, tools/pve/,
 * misc/*.func, frontend/public/json/ in older trees) and community-scripts/ProxmoxVED (the same
 * plus json/ at the top; its engine moved to community-scripts/core, whose *.func files count
 * as shared like misc/).
 */

/** What part of an app a path is: the host-side script, the in-container install, the website's metadata, the banner. */
export type PathRole = "script" | "install" | "metadata" | "header";
/** Which apps a shared library serves: LXC scripts, VM scripts, or every script. */
export type SharedScope = "lxc" | "vm" | "all";

export type PathTarget = { kind: "app"; app: string; role: PathRole } | { kind: "shared"; scope: SharedScope; library: string };

/** A script name as the scripts report it (NSAPP: lowercase, no spaces; the write rules' pattern). */
const NAME = "([a-z0-9][a-z0-9._-]*)";

const APP_RULES: readonly { pattern: RegExp; role: PathRole }[] = [
  { pattern: new RegExp(`^ct/${NAME}\\.sh$`), role: "script" },
  { pattern: new RegExp(`^install/${NAME}-install\\.sh$`), role: "install" },
  { pattern: new RegExp(`^vm/${NAME}\\.sh$`), role: "script" },
  { pattern: new RegExp(`^tools/(?:addon|pve)/${NAME}\\.sh$`), role: "script" },
  { pattern: new RegExp(`^ct/headers/${NAME}$`), role: "header" },
  { pattern: new RegExp(`^(?:frontend/public/)?json/${NAME}\\.json$`), role: "metadata" },
];

/** Files in the JSON directory that describe the site, not one app. */
const NOT_APPS: readonly string[] = ["metadata", "versions", "github-versions", "update-apps"];

/** Libraries that only LXC or only VM scripts load; any other library serves every script. */
const LIBRARY_SCOPE: Readonly<Record<string, SharedScope>> = {
  "build.func": "lxc",
  "install.func": "lxc",
  "alpine-install.func": "lxc",
  "create_lxc.sh": "lxc",
  "vm-core.func": "vm",
  "vm-app.func": "vm",
  "cloud-init.func": "vm",
};

function sharedLibrary(path: string): PathTarget | null {
  if (path.startsWith(".github/")) return null; // CI helpers, never run by a user
  const file = path.slice(path.lastIndexOf("/") + 1);
  const isLibrary = file.endsWith(".func") || (path.startsWith("misc/") && file === "create_lxc.sh");
  if (!isLibrary) return null;
  return { kind: "shared", scope: LIBRARY_SCOPE[file] ?? "all", library: path };
}

/** The app or shared library a path belongs to; null for everything else (docs, CI, changelog, …). */
export function mapPath(path: string): PathTarget | null {
  for (const rule of APP_RULES) {
    const m = rule.pattern.exec(path);
    if (!m) continue;
    const app = m[1]!;
    if (rule.role === "metadata" && NOT_APPS.indexOf(app) >= 0) return null;
    return { kind: "app", app, role: rule.role };
  }
  return sharedLibrary(path);
}

/** What one change touches: its apps (sorted, once each) and the scopes of the shared libraries it changed. */
export interface MappedPaths {
  apps: string[];
  shared: SharedScope[];
}

const SCOPE_ORDER: readonly SharedScope[] = ["all", "lxc", "vm"];

export function mapPaths(paths: readonly string[]): MappedPaths {
  const apps: string[] = [];
  const shared: SharedScope[] = [];
  for (const path of paths) {
    const t = mapPath(path);
    if (!t) continue;
    if (t.kind === "app") {
      if (apps.indexOf(t.app) < 0) apps.push(t.app);
    } else if (shared.indexOf(t.scope) < 0) shared.push(t.scope);
  }
  apps.sort();
  shared.sort((a, b) => SCOPE_ORDER.indexOf(a) - SCOPE_ORDER.indexOf(b));
  return { apps, shared };
}

/** Whether a shared change of these scopes reaches an app of this type (lxc, vm, addon, pve; unknown: every scope). */
export function sharedReaches(scopes: readonly SharedScope[], type: string | null): boolean {
  return scopes.some((s) => s === "all" || type === null || s === type);
}
