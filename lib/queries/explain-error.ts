/**
 * Turns data-layer failures into a message a visitor or operator can act on, so a page shows
 * what is wrong instead of a bare 500. Messages never include credentials.
 */
import "server-only";
import { ClientResponseError } from "pocketbase";
import { serverConfig } from "../config";
import { ReaderConfigError } from "../pocketbase";

/** A failure already explained (e.g. inside a cached function), rethrown where it can be caught. */
export class DataUnavailableError extends Error {}

export function explainDataError(err: unknown): string | null {
  if (err instanceof ReaderConfigError || err instanceof DataUnavailableError) return err.message;
  if (err instanceof ClientResponseError) {
    if (err.status === 0) return `PocketBase at ${serverConfig().pocketbaseUrl} is not reachable.`;
    if (err.status === 404) return "PocketBase answered 404: are the dashboard's migrations (pocketbase/pb_migrations) installed?";
    return `PocketBase answered ${err.status}: ${err.message}`;
  }
  return null;
}
