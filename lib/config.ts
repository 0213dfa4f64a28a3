/**
 * Server configuration, read from the environment at call time (never at build time, so one
 * build serves any PocketBase). See the README's environment table.
 */
import { DEFAULT_UNFINISHED_AFTER_MS } from "./outcomes";

export interface ServerConfig {
  pocketbaseUrl: string;
  readerEmail: string | undefined;
  readerPassword: string | undefined;
  unfinishedAfterMs: number;
}

export function serverConfig(): ServerConfig {
  const minutes = Number(process.env.UNFINISHED_AFTER_MINUTES);
  return {
    pocketbaseUrl: process.env.POCKETBASE_URL || "http://127.0.0.1:8090",
    readerEmail: process.env.POCKETBASE_READER_EMAIL || undefined,
    readerPassword: process.env.POCKETBASE_READER_PASSWORD || undefined,
    unfinishedAfterMs: Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_UNFINISHED_AFTER_MS,
  };
}

/** The alert worker's settings (docs/ALERTS.md, README "Environment"). */
export interface AlertsConfig {
  /** Its account in `alert_workers`. */
  email: string | undefined;
  password: string | undefined;
  /** ALERTS_ALLOW_PRIVATE_TARGETS=1: targets on loopback, private and link-local addresses are allowed (tests, a LAN chat server). */
  allowPrivateTargets: boolean;
  intervalMs: number;
  /** First retry after this; each further one waits twice as long. */
  retryBaseMs: number;
  /** Tries before a delivery is marked failed. */
  maxAttempts: number;
  timeoutMs: number;
  /** Events that ended longer ago are never sent. */
  maxAgeHours: number;
  /** The site's public origin for links (PUBLIC_URL). */
  publicUrl: string | undefined;
}

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function alertsConfig(env: Record<string, string | undefined> = process.env): AlertsConfig {
  return {
    email: env.ALERTS_EMAIL || undefined,
    password: env.ALERTS_PASSWORD || undefined,
    allowPrivateTargets: env.ALERTS_ALLOW_PRIVATE_TARGETS === "1" || env.ALERTS_ALLOW_PRIVATE_TARGETS === "true",
    intervalMs: positive(env.ALERTS_INTERVAL_SECONDS, 60) * 1000,
    retryBaseMs: positive(env.ALERTS_RETRY_BASE_SECONDS, 60) * 1000,
    maxAttempts: Math.round(positive(env.ALERTS_MAX_ATTEMPTS, 6)),
    timeoutMs: positive(env.ALERTS_TIMEOUT_SECONDS, 10) * 1000,
    maxAgeHours: positive(env.ALERTS_MAX_AGE_HOURS, 48),
    publicUrl: env.PUBLIC_URL || undefined,
  };
}

/** The superuser the command-line tools write as (changes:import, alerts add/list/remove); undefined when unset. */
export function superuserConfig(env: Record<string, string | undefined> = process.env): { email: string; password: string } | undefined {
  const { POCKETBASE_SUPERUSER_EMAIL: email, POCKETBASE_SUPERUSER_PASSWORD: password } = env;
  return email && password ? { email, password } : undefined;
}

/**
 * Where "Report on GitHub" links go: ISSUE_REPOSITORY (owner/name, a repository with blank
 * issues: title and body), else community-scripts/ProxmoxVE's bug form (lib/changes/issue-url.ts).
 */
export function issueRepository(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.ISSUE_REPOSITORY?.trim();
  return raw && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(raw) ? raw : null;
}
