/**
 * The path → app mapping (lib/changes/paths.ts) on real paths of community-scripts/ProxmoxVE
 * and ProxmoxVED, and the hook's bundled copy: current, and mapping exactly as the module does.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { mapPath, mapPaths, sharedReaches } from "../../lib/changes/paths";
import { HOOK_PATHS_MODULE, hookPathsModule } from "../../scripts/lib/changes-hook";

const CASES: [string, ReturnType<typeof mapPath>][] = [
  ["ct/docker.sh", { kind: "app", app: "docker", role: "script" }],
  ["install/docker-install.sh", { kind: "app", app: "docker", role: "install" }],
  ["install/alpine-docker-install.sh", { kind: "app", app: "alpine-docker", role: "install" }],
  ["ct/netboot.xyz.sh", { kind: "app", app: "netboot.xyz", role: "script" }],
  ["vm/haos-vm.sh", { kind: "app", app: "haos-vm", role: "script" }],
  ["vm/mikrotik-routeros.sh", { kind: "app", app: "mikrotik-routeros", role: "script" }],
  ["tools/addon/add-tailscale-lxc.sh", { kind: "app", app: "add-tailscale-lxc", role: "script" }],
  ["tools/pve/clean-lxcs.sh", { kind: "app", app: "clean-lxcs", role: "script" }],
  ["ct/headers/docker", { kind: "app", app: "docker", role: "header" }],
  ["frontend/public/json/jellyfin.json", { kind: "app", app: "jellyfin", role: "metadata" }],
  ["json/jellyfin.json", { kind: "app", app: "jellyfin", role: "metadata" }],
  ["misc/build.func", { kind: "shared", scope: "lxc", library: "misc/build.func" }],
  ["misc/install.func", { kind: "shared", scope: "lxc", library: "misc/install.func" }],
  ["misc/alpine-install.func", { kind: "shared", scope: "lxc", library: "misc/alpine-install.func" }],
  ["misc/vm-core.func", { kind: "shared", scope: "vm", library: "misc/vm-core.func" }],
  ["misc/cloud-init.func", { kind: "shared", scope: "vm", library: "misc/cloud-init.func" }],
  ["misc/core.func", { kind: "shared", scope: "all", library: "misc/core.func" }],
  ["misc/tools.func", { kind: "shared", scope: "all", library: "misc/tools.func" }],
  ["misc/api.func", { kind: "shared", scope: "all", library: "misc/api.func" }],
  ["misc/create_lxc.sh", { kind: "shared", scope: "lxc", library: "misc/create_lxc.sh" }],
  // community-scripts/core, where ProxmoxVED's engine lives now
  ["core/build.func", { kind: "shared", scope: "lxc", library: "core/build.func" }],
  ["core/error_handler.func", { kind: "shared", scope: "all", library: "core/error_handler.func" }],
  // Not an app, not a library a user runs
  [".github/workflows/scripts/app-test/pr-build.func", null],
  ["ct/deferred/ocis.sh", null],
  ["install/deferred/ocis-install.sh", null],
  ["json/bak/alpine.json", null],
  ["frontend/public/json/versions.json", null],
  ["frontend/public/json/metadata.json", null],
  ["misc/images/logo.png", null],
  ["vm/headers/turnkeyowncloudvm", null],
  ["CHANGELOG.md", null],
  ["README.md", null],
  ["ct/Docker.sh", null],
  ["ct/docker.sh.bak", null],
  ["ct/../install/x.sh", null],
];

describe("path → app mapping", () => {
  it.each(CASES)("%s", (path, want) => {
    expect(mapPath(path)).toEqual(want);
  });

  it("one change: its apps once each, sorted, and its shared scopes", () => {
    expect(
      mapPaths(["install/jellyfin-install.sh", "ct/jellyfin.sh", "ct/docker.sh", "frontend/public/json/jellyfin.json", "misc/build.func", "misc/core.func", "misc/build.func"]),
    ).toEqual({ apps: ["docker", "jellyfin"], shared: ["all", "lxc"] });
    expect(mapPaths(["README.md", "CHANGELOG.md"])).toEqual({ apps: [], shared: [] });
  });

  it("a shared library reaches the apps of its scope", () => {
    expect(sharedReaches(["lxc"], "lxc")).toBe(true);
    expect(sharedReaches(["lxc"], "vm")).toBe(false);
    expect(sharedReaches(["vm"], "vm")).toBe(true);
    expect(sharedReaches(["all"], "addon")).toBe(true);
    expect(sharedReaches(["lxc"], null)).toBe(true);
    expect(sharedReaches([], "lxc")).toBe(false);
  });
});

describe("the hook's copy (pocketbase/pb_hooks/script_changes/paths.js)", () => {
  it("is current (else run npm run gen:changes-hook)", () => {
    expect(readFileSync(HOOK_PATHS_MODULE, "utf8")).toBe(hookPathsModule());
  });

  it("maps every case as the module does", () => {
    // Evaluated as PocketBase's require() does: a CommonJS module in a context of its own.
    const module = { exports: {} as { mapPath: typeof mapPath; mapPaths: typeof mapPaths } };
    runInNewContext(readFileSync(HOOK_PATHS_MODULE, "utf8"), { module, exports: module.exports });
    const hook = module.exports;
    for (const [path, want] of CASES) expect(hook.mapPath(path), path).toEqual(want);
    const all = CASES.map(([p]) => p);
    expect(hook.mapPaths(all)).toEqual(mapPaths(all));
  });
});
