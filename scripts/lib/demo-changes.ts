/**
 * The demo's seeded script changes (docs/CHANGES.md): for each seeded regression
 * (demo-events.ts) the change that caused it, pushed shortly before it began — and changes that
 * must not be blamed: another app's, the website's metadata only, a VM library before an LXC
 * app's regression, an old change to the same app, a shared library days before anything,
 * changelog commits, and a change right before the cross-app incident (which has an outside
 * cause). Dates are relative to the data's end, like the events. `insertDemoChanges` writes
 * them into a PocketBase data dir that is not being served.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mapPaths } from "../../lib/changes/paths";
import type { ScriptChange } from "../../lib/changes/likely-cause";
import { DEMO_EVENTS, type DemoEvent, placeEvents } from "./demo-events";

export const DEMO_REPOSITORY = "community-scripts/ProxmoxVE";
const HOUR_MS = 3_600_000;

export interface DemoChange extends ScriptChange {
  /** The seeded event this change caused; null for the ones that must not be blamed. */
  causes: string | null;
}

interface Spec {
  /** Placed relative to this event's start (ms offset), or to the end's day for none. */
  event: string;
  offsetHours: number;
  message: string;
  paths: string[];
  causes: boolean;
}

/** Each regression's cause, with paths and messages as the scripts' repository writes them. */
const CAUSES: Spec[] = [
  { event: "docker-apt", offsetHours: -0.7, message: "Docker: switch the APT source to deb822 (#9101)", paths: ["install/docker-install.sh"], causes: true },
  {
    event: "jellyfin-apt",
    offsetHours: -3,
    message: "Jellyfin: install from the upstream repository (#9210)",
    paths: ["ct/jellyfin.sh", "frontend/public/json/jellyfin.json", "install/jellyfin-install.sh"],
    causes: true,
  },
  {
    event: "vaultwarden-download",
    offsetHours: -0.3,
    message: "Vaultwarden: fetch the release from the new download URL (#9305)",
    paths: ["install/vaultwarden-install.sh"],
    causes: true,
  },
  { event: "nginxproxymanager-pve92", offsetHours: -6, message: "Nginx Proxy Manager: new systemd unit (#9377)", paths: ["install/nginxproxymanager-install.sh"], causes: true },
  { event: "alpine-324", offsetHours: -1.5, message: "Alpine: default to 3.24 (#9402)", paths: ["ct/alpine.sh", "ct/headers/alpine"], causes: true },
  { event: "immich-oom", offsetHours: -5, message: "Immich: build the web UI with Node.js 24 (#9460)", paths: ["install/immich-install.sh"], causes: true },
];

/** Changes that must not be blamed for any seeded regression. */
const UNRELATED: Spec[] = [
  { event: "docker-apt", offsetHours: -2, message: "Plex: update the repository key (#9099)", paths: ["ct/plex.sh", "install/plex-install.sh"], causes: false },
  { event: "docker-apt", offsetHours: -5 * 24, message: "build.func: clearer storage prompt (#9020)", paths: ["misc/build.func"], causes: false },
  { event: "jellyfin-apt", offsetHours: -1, message: "Jellyfin: website description (#9212)", paths: ["frontend/public/json/jellyfin.json"], causes: false },
  { event: "vaultwarden-download", offsetHours: -2, message: "vm-core.func: detect the UEFI disk (#9301)", paths: ["misc/vm-core.func"], causes: false },
  { event: "immich-oom", offsetHours: -10 * 24, message: "Immich: document the ML container (#9390)", paths: ["install/immich-install.sh"], causes: false },
  {
    event: "github-http-22",
    offsetHours: -3,
    message: "Home Assistant: update the core to 2026.12 (#9490)",
    paths: ["ct/homeassistant.sh", "install/homeassistant-install.sh"],
    causes: false,
  },
  { event: "alpine-324", offsetHours: -4, message: "Update CHANGELOG.md (#9400)", paths: ["CHANGELOG.md"], causes: false },
  { event: "immich-oom", offsetHours: -1, message: "Update CHANGELOG.md (#9461)", paths: ["CHANGELOG.md"], causes: false },
];

function sha(spec: Spec): string {
  return createHash("sha1").update(`${spec.event}\n${spec.message}`).digest("hex");
}

/** PocketBase's timestamp format. */
function pbTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ");
}

export function demoChanges(end: Date, events: readonly DemoEvent[] = DEMO_EVENTS): DemoChange[] {
  const starts = new Map(placeEvents(events, end).map((p) => [p.event.id, p.startMs]));
  const out: DemoChange[] = [];
  for (const spec of [...CAUSES, ...UNRELATED]) {
    const startMs = starts.get(spec.event);
    if (startMs === undefined) continue;
    const at = startMs + spec.offsetHours * HOUR_MS;
    if (at > end.getTime()) continue;
    const id = sha(spec);
    const paths = [...spec.paths].sort();
    out.push({
      repository: DEMO_REPOSITORY,
      sha: id,
      // Squash-merged on GitHub: committed when pushed.
      committed: pbTime(at),
      pushed: pbTime(at),
      message: spec.message,
      url: `https://github.com/${DEMO_REPOSITORY}/commit/${id}`,
      paths,
      ...mapPaths(paths),
      causes: spec.causes ? spec.event : null,
    });
  }
  return out.sort((a, b) => (a.committed < b.committed ? -1 : 1));
}

/** PocketBase's record id alphabet and length. */
function recordId(seed: string): string {
  const hex = createHash("sha256").update(seed).digest();
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(hex.subarray(0, 15), (b) => alphabet[b % alphabet.length]).join("");
}

/** Writes the demo's changes into a data dir PocketBase is not serving; existing ones are kept. Returns how many were new. */
export function insertDemoChanges(dbPath: string, end: Date): number {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO script_changes (id, repository, sha, committed, pushed, message, url, paths, apps, shared, created, updated)
       VALUES (@id, @repository, @sha, @committed, @pushed, @message, @url, @paths, @apps, @shared, @now, @now)`,
    );
    const now = pbTime(Date.now());
    let added = 0;
    db.transaction(() => {
      for (const c of demoChanges(end)) {
        const res = insert.run({
          id: recordId(c.sha),
          repository: c.repository,
          sha: c.sha,
          committed: c.committed,
          pushed: c.pushed,
          message: c.message,
          url: c.url,
          paths: JSON.stringify(c.paths),
          apps: JSON.stringify(c.apps),
          shared: JSON.stringify(c.shared),
          now,
        });
        added += res.changes;
      }
    })();
    return added;
  } finally {
    db.close();
  }
}
