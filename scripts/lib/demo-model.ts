/**
 * The shape of the demo data: which apps are popular, how often each fails and with which exit
 * codes, and how OS, Proxmox VE version, install method and resources are distributed. Numbers
 * follow ../shared/reference/TELEMETRY.md ("Volumes and shapes"); generate.ts draws from them.
 * Per-app traits come from a hash of the app name, not the seed, so every seed shows the same
 * "world" (same top apps, same broken apps) and only the individual runs differ.
 */
import { APPS } from "../../lib/reference/apps";
import { EXIT_CODES } from "../../lib/reference/exit-codes";
import { AliasTable, nameUnit, type Rng } from "./prng";
import type { TelemetryType } from "./telemetry-row";

export interface DemoApp {
  nsapp: string;
  type: TelemetryType;
  cpu: number;
  ramMb: number;
  diskGb: number;
  os: string;
  osVersion: string;
  /** Share of runs that fail outside any regression. */
  failRate: number;
  /** Exit code a chronically broken app mostly fails with (null: the general mix). */
  signatureCode: number | null;
}

/**
 * Popular apps, most popular first (a real top list's shape: PVE post-install, Docker, Home
 * Assistant, Pi-hole, Jellyfin …). Names missing from apps.tsv are skipped; the other apps follow
 * in a fixed pseudo-random order, so popularity is a Zipf curve over the whole catalogue.
 */
const POPULAR = [
  "docker",
  "haos-vm",
  "post-pve-install",
  "homeassistant",
  "pihole",
  "jellyfin",
  "adguard",
  "nginxproxymanager",
  "plex",
  "debian",
  "vaultwarden",
  "immich",
  "update-lxcs",
  "ubuntu",
  "add-tailscale-lxc",
  "paperless-ngx",
  "uptimekuma",
  "wireguard",
  "alpine",
  "homepage",
  "mqtt",
  "zigbee2mqtt",
  "node-red",
  "esphome",
  "cloudflared",
  "technitiumdns",
  "ollama",
  "openwebui",
  "n8n",
  "qbittorrent",
  "sonarr",
  "radarr",
  "prowlarr",
  "jellyseerr",
  "proxmox-backup-server",
  "frigate",
  "nextcloudpi",
  "docker-vm",
  "microcode",
  "grafana",
  "unifi-os-server",
  "omada",
  "syncthing",
  "audiobookshelf",
  "navidrome",
  "caddy",
  "traefik",
  "debian-vm",
  "ubuntu2404-vm",
  "opnsense-vm",
  "openwrt-vm",
  "truenas-vm",
  "portainer",
  "mariadb",
  "postgresql",
  "influxdb",
  "mealie",
  "gitea",
  "forgejo",
  "emby",
  "tautulli",
  "overseerr",
  "bazarr",
  "lidarr",
  "sabnzbd",
  "netdata",
];

/** Chronically broken apps (TELEMETRY.md: "a few … at 20–60 %") and the code they die with. */
const BROKEN: Readonly<Record<string, { rate: number; code: number }>> = {
  mastodon: { rate: 0.5, code: 243 }, // Node.js heap OOM during asset build
  affine: { rate: 0.45, code: 243 },
  firecrawl: { rate: 0.6, code: 249 },
  erpnext: { rate: 0.38, code: 1 },
  comfyui: { rate: 0.25, code: 161 }, // Python dependency resolution
  "umbrel-os-vm": { rate: 0.3, code: 226 },
};

const ZIPF_EXPONENT = 1.1;
const ZIPF_OFFSET = 2; // flattens the very top so #1 is not an order of magnitude above #5

/** Typical failure rate is ~1 % (log-normal spread, clipped to 0.3–4 %). */
function baseFailRate(nsapp: string): number {
  const z = Math.sqrt(-2 * Math.log(1 - nameUnit(nsapp, 1))) * Math.cos(2 * Math.PI * nameUnit(nsapp, 2));
  return Math.min(0.04, Math.max(0.003, Math.exp(Math.log(0.0095) + 0.5 * z)));
}

/** Script defaults; VM scripts and host tools declare none in apps.tsv, so VMs get a typical VM. */
function defaults(row: (typeof APPS)[number]): Pick<DemoApp, "cpu" | "ramMb" | "diskGb" | "os" | "osVersion"> {
  if (row.type === "vm") return { cpu: 2, ramMb: 4096, diskGb: 32, os: "", osVersion: "" };
  return {
    cpu: row.cpu ?? 0,
    ramMb: row.ramMb ?? 0,
    diskGb: row.diskGb ?? 0,
    os: row.os ?? "",
    osVersion: row.osVersion ?? "",
  };
}

/** All apps in popularity order with their Zipf weights. */
export function buildApps(): { apps: DemoApp[]; weights: number[] } {
  const rank = (nsapp: string) => {
    const i = POPULAR.indexOf(nsapp);
    return i >= 0 ? i : POPULAR.length + nameUnit(nsapp, 3);
  };
  const sorted = [...APPS].sort((a, b) => rank(a.nsapp) - rank(b.nsapp) || a.type.localeCompare(b.type));
  const apps = sorted.map((row): DemoApp => {
    const broken = BROKEN[row.nsapp];
    return {
      nsapp: row.nsapp,
      type: row.type,
      ...defaults(row),
      failRate: broken?.rate ?? baseFailRate(row.nsapp),
      signatureCode: broken?.code ?? null,
    };
  });
  const weights = apps.map((_, r) => 1 / (r + ZIPF_OFFSET) ** ZIPF_EXPONENT);
  return { apps, weights };
}

/** How often each error_category shows up among failures (network and apt dominate). */
const CATEGORY_WEIGHT: Readonly<Record<string, number>> = {
  dependency: 30,
  network: 26,
  shell: 13,
  proxmox: 7,
  timeout: 5,
  service: 4,
  storage: 3,
  runtime: 3,
  resource: 3,
  unknown: 3,
  config: 2,
  permission: 1,
  database: 1,
  signal: 0.5,
};

/** Codes that dominate their category (relative to 1 for the others in it). */
const CODE_WEIGHT: Readonly<Record<number, number>> = {
  100: 12,
  1: 10,
  22: 6,
  6: 4,
  28: 4,
  255: 3,
  127: 3,
  7: 2,
  102: 2,
  101: 1.5,
  161: 1.5,
  2: 1.5,
  124: 1,
  137: 3,
  209: 3,
  214: 3,
  222: 2,
  150: 3,
  243: 3,
  249: 2,
  250: 3,
  115: 2,
  118: 2,
};

/** Failure exit codes (user aborts excluded: they have their own path). */
export function buildFailureCodes(): AliasTable<number> {
  const failing = EXIT_CODES.filter((r) => r.category !== "user_aborted" && CATEGORY_WEIGHT[r.category] !== undefined);
  const categoryTotal = new Map<string, number>();
  for (const r of failing) categoryTotal.set(r.category, (categoryTotal.get(r.category) ?? 0) + (CODE_WEIGHT[r.code] ?? 1));
  const weights = failing.map((r) => (CATEGORY_WEIGHT[r.category]! * (CODE_WEIGHT[r.code] ?? 1)) / categoryTotal.get(r.category)!);
  return new AliasTable(
    failing.map((r) => r.code),
    weights,
  );
}

/**
 * The demo's slow app (a seeded truth, issue 15): Frigate's installs typically take this many
 * minutes (its successful runs' median, whatever the cores), where no other app's is above 18.
 */
export const SLOW_APP = { nsapp: "frigate", medianMinutes: 30 } as const;

/**
 * The demo's core-bound app (a seeded truth, issue 15): Debian's installs take this many times as
 * long on one core as on more (its default is one core; advanced and default-profile runs give it
 * two or four) — the app page's "install time by factor" finds it under Cores.
 */
export const CORE_BOUND_APP = { nsapp: "debian", cores: 1, factor: 3 } as const;

/**
 * Scripts in testing (seeded truths, issue 15): every run of these apps with today's protocol
 * comes from the development repository. mqtt fails rarely (a third of an ordinary app's
 * failures: generate-protocol.ts inTesting) and has hundreds of runs: ready to promote; mastodon
 * fails half the time (a broken app above): not ready.
 */
export const TESTING_APPS = { ready: "mqtt", notReady: "mastodon" } as const;

/**
 * The demo's GPU-only failure (a seeded truth, issue 15): Ollama's runs on hosts with a discrete
 * GPU passed through fail this share of the time at one command (the driver inside the container
 * does not match the host's); on every other host it fails as any app does.
 */
export const GPU_FAILURE_APP = {
  nsapp: "ollama",
  passthrough: "dgpu",
  failShare: 0.7,
  exitCode: 1,
  line: 64,
  command: "nvidia-smi --query-gpu=driver_version --format=csv,noheader",
} as const;

export const METHODS = new AliasTable(["default", "advanced", "mydefaults-global", "appdefaults", "generated"], [62, 22, 7, 5, 4]);

/** Proxmox VE releases with the patch levels seen in the wild (later patches are commoner). */
const PVE_MINORS: readonly { minor: string; patches: readonly string[] }[] = [
  { minor: "9.2", patches: ["9.2.0", "9.2.1", "9.2.2"] },
  { minor: "9.1", patches: ["9.1.1", "9.1.2", "9.1.4", "9.1.5"] },
  { minor: "9.0", patches: ["9.0.3", "9.0.5", "9.0.6", "9.0.10", "9.0.11"] },
  { minor: "8.4", patches: ["8.4.0", "8.4.1", "8.4.5", "8.4.14"] },
  { minor: "8.3", patches: ["8.3.0", "8.3.5"] },
  { minor: "8.2", patches: ["8.2.4", "8.2.7"] },
  { minor: "8.1", patches: ["8.1.4"] },
  { minor: "8.0", patches: ["8.0.9"] },
];

/**
 * PVE version mix `ageDays` before the end: 9.2 is the newest and grows from ~10 % to 40 % over
 * the last 90 days, taking share from 9.0/8.x; a few old hosts report "not found".
 */
export function pveVersionsAt(ageDays: number): AliasTable<string> {
  const newest = Math.min(0.4, Math.max(0.02, 0.4 - (0.3 * ageDays) / 90));
  const rest = 1 - newest;
  const minorShare = [newest, rest * 0.5, rest * 0.22, rest * 0.2, rest * 0.04, rest * 0.02, rest * 0.01, rest * 0.01];
  const items: string[] = ["not found"];
  const weights: number[] = [0.004];
  PVE_MINORS.forEach(({ patches }, m) => {
    const patchTotal = (patches.length * (patches.length + 1)) / 2;
    patches.forEach((v, i) => {
      items.push(v);
      weights.push((minorShare[m]! * (i + 1)) / patchTotal);
    });
  });
  return new AliasTable(items, weights);
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Share of runs from newer scripts (they send `success` and `aborted`): grows from ~0 two months
 * before the end to ~40 % at the end, so `sucess` stays the majority overall.
 */
export function newScriptShare(ageDays: number): number {
  return 0.42 * logistic((30 - ageDays) / 7);
}

/**
 * Share of runs whose scripts report a user interrupt as `aborted` rather than `failed` with
 * 130: most already did before today's protocol (whose client always does), from ~85 % three
 * months before the end to ~98 % when the protocol switches (NEW_PROTOCOL_DAYS). So the older
 * days' failure rates, which count the rest of the interrupts, drift down smoothly instead of
 * dropping on the day of the switch — a drop the regression scan would report for the busiest
 * apps. Never below newScriptShare: scripts that spell `success` right also send `aborted`.
 */
export function abortReportShare(ageDays: number): number {
  return Math.max(newScriptShare(ageDays), 1 - 0.15 * logistic((ageDays - 40) / 10));
}

/** Share of Debian-13-default installs still on Debian 12 (Debian 12 dominated months earlier). */
export function debian12Share(ageDays: number): number {
  return 0.05 + 0.5 * logistic((ageDays - 150) / 25);
}

/** Odd values real VM rows carry: TELEMETRY.md lists '2204', 'n.d.' and blank. */
const VM_OS: Readonly<Record<string, readonly [string, string]>> = {
  "ubuntu2204-vm": ["ubuntu", "2204"],
  "ubuntu2404-vm": ["ubuntu", "2404"],
  "ubuntu2504-vm": ["ubuntu", "2504"],
  "debian-vm": ["debian", "12"],
  "debian-13-vm": ["debian", "13"],
  "docker-vm": ["debian", "12"],
};

/** [os_type, os_version] of one run. pve tools report the host (PVE 9 = Debian 13, PVE 8 = 12). */
export function osFor(app: DemoApp, pveVersion: string, deb12: number, rng: Rng): readonly [string, string] {
  if (app.type === "pve") return ["debian", pveVersion.startsWith("8.") ? "12" : "13"];
  if (app.type === "vm") return VM_OS[app.nsapp] ?? (rng.chance(0.6) ? ["", ""] : ["", "n.d."]);
  const os = app.os || "debian"; // addons run inside an existing (mostly Debian) container
  const version = app.osVersion || "13";
  if (os === "debian") return ["debian", version === "13" && rng.chance(deb12) ? "12" : version];
  if (os === "alpine") return ["alpine", olderAlpine(version, rng)];
  if (os === "ubuntu") return ["ubuntu", version === "24.04" && rng.chance(0.08) ? "22.04" : version];
  return [os, version];
}

/** Most Alpine installs use the default release, some the one or two before it (3.24 → 3.23, 3.22). */
function olderAlpine(version: string, rng: Rng): string {
  const [major, minor] = version.split(".").map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(minor)) return version;
  const u = rng.next();
  const back = u < 0.8 ? 0 : u < 0.95 ? 1 : 2;
  return `${major}.${Math.max(0, minor - back)}`;
}

/**
 * [cores, RAM MB, disk GB]: script defaults for `default`/`generated`; `advanced` often raises
 * them and rarely lowers them; saved defaults (`mydefaults-global`/`appdefaults`) are the user's
 * own template, never below the script's. Host tools and addons create nothing: 0s.
 */
export function resourcesFor(app: DemoApp, method: string, rng: Rng): [number, number, number] {
  if (app.type === "pve" || app.type === "addon") return [0, 0, 0];
  const base: [number, number, number] = [app.cpu, app.ramMb, app.diskGb];
  if (method === "advanced") {
    const u = rng.next();
    if (u < 0.55) return [app.cpu * (rng.chance(0.5) ? 2 : 1), app.ramMb * (rng.chance(0.6) ? 2 : 1), app.diskGb + rng.pick([2, 4, 8, 12, 16, 32])];
    if (u < 0.92) return base;
    return [Math.max(1, app.cpu - 1), Math.max(256, app.ramMb / 2), Math.max(1, app.diskGb - 2)];
  }
  if (method === "mydefaults-global" || (method === "appdefaults" && rng.chance(0.5))) {
    return [Math.max(app.cpu, rng.pick([1, 2, 2, 4])), Math.max(app.ramMb, rng.pick([1024, 2048, 2048, 4096])), Math.max(app.diskGb, rng.pick([4, 8, 8, 16, 32]))];
  }
  return base;
}
