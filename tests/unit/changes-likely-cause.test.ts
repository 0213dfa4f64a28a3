/**
 * "Likely cause" (lib/changes/likely-cause.ts): which changes are suspects of a regression, and
 * in which order — the app's own script first, shared libraries of its type below, nothing
 * that cannot have run (metadata, later changes, other apps, other types' libraries).
 */
import { describe, expect, it } from "vitest";
import { catalogueType, LIKELY_CAUSE, likelyCauses, type ScriptChange, suspectWindow } from "../../lib/changes/likely-cause";
import { mapPaths } from "../../lib/changes/paths";

const START = "2026-11-20"; // the regression's first (daily) bucket
const T0 = Date.parse("2026-11-20T00:00:00Z");
const HOUR = 3_600_000;
let n = 0;

function change(hoursFromStart: number, paths: string[], opts: { pushed?: boolean; apps?: string[] } = {}): ScriptChange {
  const at = new Date(T0 + hoursFromStart * HOUR).toISOString().replace("T", " ");
  const sha = (++n).toString(16).padStart(40, "0");
  const mapped = mapPaths(paths);
  return {
    repository: "community-scripts/ProxmoxVE",
    sha,
    committed: at,
    pushed: opts.pushed === false ? "" : at,
    message: `change ${n}`,
    url: `https://github.com/community-scripts/ProxmoxVE/commit/${sha}`,
    paths,
    apps: opts.apps ?? mapped.apps,
    shared: mapped.shared,
  };
}

const docker = { nsapp: "docker", start: START };
const rank = (changes: ScriptChange[], regression = docker, type: string | null = "lxc") => likelyCauses(regression, type, changes).map((s) => s.change);

describe("likely cause", () => {
  it("ranks the app's own change above a shared library's, and a recent one above an older one", () => {
    const own = change(-1, ["install/docker-install.sh"]);
    const shared = change(-0.5, ["misc/build.func"]);
    const older = change(-12, ["ct/docker.sh"]);
    const suspects = likelyCauses(docker, "lxc", [shared, older, own]);
    expect(suspects.map((s) => s.change)).toEqual([own, older, shared]);
    expect(suspects[0]).toMatchObject({ kind: "app", paths: ["install/docker-install.sh"], hoursBefore: 1 });
    expect(suspects[0]!.score).toBeCloseTo(0.5 ** (1 / LIKELY_CAUSE.halfLifeHours), 12);
    expect(suspects[2]).toMatchObject({ kind: "shared", paths: ["misc/build.func"], hoursBefore: 0.5 });
  });

  it("takes changes from 72 hours before the first bucket to that bucket's end", () => {
    const window = suspectWindow(START);
    expect(window).toEqual({ from: T0 - 72 * HOUR, to: T0 + 24 * HOUR });
    const first = change(-72, ["ct/docker.sh"]);
    const tooOld = change(-72.01, ["ct/docker.sh"]);
    const inBucket = change(13, ["ct/docker.sh"]);
    const after = change(24, ["ct/docker.sh"]);
    const suspects = likelyCauses(docker, "lxc", [first, tooOld, inBucket, after]);
    expect(suspects.map((s) => s.change)).toEqual([inBucket, first]);
    expect(suspects[0]!.hoursBefore).toBe(0);
    // An hourly first bucket: up to that hour's end.
    const hourly = { nsapp: "docker", start: "2026-11-20 05" };
    expect(rank([change(5.5, ["ct/docker.sh"]), change(6, ["ct/docker.sh"])], hourly).map((c) => c.message)).toEqual([`change ${n - 1}`]);
  });

  it("never suspects other apps, the website's metadata, or libraries the app does not load", () => {
    const changes = [
      change(-1, ["ct/plex.sh", "install/plex-install.sh"]),
      change(-1, ["frontend/public/json/docker.json"]),
      change(-1, ["json/docker.json"]),
      change(-1, ["misc/vm-core.func", "misc/cloud-init.func"]),
      change(-1, ["CHANGELOG.md", "README.md"]),
      change(-1, [".github/workflows/scripts/app-test/pr-build.func"]),
    ];
    expect(rank(changes)).toEqual([]);
    // The VM library is a suspect for a VM, and every library when the type is unknown.
    expect(rank(changes, { nsapp: "haos-vm", start: START }, "vm")).toEqual([changes[3]]);
    expect(rank(changes, { nsapp: "unknown-app", start: START }, null)).toEqual([changes[3]]);
  });

  it("weighs a banner-only change and a change to many apps at once below one app's script", () => {
    const banner = change(-1, ["ct/headers/docker"]);
    const broad = change(-1, ["ct/docker.sh"], { apps: Array.from({ length: 100 }, (_, i) => `app${i}`) });
    const own = change(-2, ["ct/docker.sh"]);
    const suspects = likelyCauses(docker, "lxc", [banner, broad, own]);
    expect(suspects.map((s) => s.change)).toEqual([own, banner, broad]);
    expect(suspects[1]!.score).toBeCloseTo(LIKELY_CAUSE.headerWeight * 0.5 ** (1 / 24), 12);
    expect(suspects[2]!.score).toBeCloseTo(0.1 * 0.5 ** (1 / 24), 12);
  });

  it("dates a change by its push, by its commit when only the backfill saw it", () => {
    const pushedLater = { ...change(-100, ["ct/docker.sh"]), pushed: new Date(T0 - 2 * HOUR).toISOString() };
    const backfilled = change(-3, ["ct/docker.sh"], { pushed: false });
    const suspects = likelyCauses(docker, "lxc", [backfilled, pushedLater]);
    expect(suspects.map((s) => [s.change.sha, s.hoursBefore])).toEqual([
      [pushedLater.sha, 2],
      [backfilled.sha, 3],
    ]);
  });

  it("orders equal scores by the later change first", () => {
    const a = change(-1, ["ct/docker.sh"]);
    const b = change(-1, ["install/docker-install.sh"]);
    expect(rank([a, b]).map((c) => c.sha)).toEqual([a.sha, b.sha].sort());
  });

  it("knows an app's type from the catalogue", () => {
    expect(catalogueType("docker")).toBe("lxc");
    expect(catalogueType("haos-vm")).toBe("vm");
    expect(catalogueType("no-such-app")).toBeNull();
  });
});
