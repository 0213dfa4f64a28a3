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
