/**
 * Turns data-layer failures into a message a visitor can read and a Retry-After, so a page or
 * the API explains what is wrong instead of answering a bare 500. Public messages never carry
 * PocketBase's address, credentials or its own error text; the details go to the server log.
 * Errors that are not the source's (bugs in the dashboard) are not explained: they stay errors.
 */
import "server-only";
import { ClientResponseError } from "pocketbase";
import type { SourceFailure } from "../data/cache";
import { ReaderConfigError } from "../pocketbase";
import { SourceError } from "../source/gate";

/** A failure already explained (e.g. from the data cache), rethrown where it can be caught. */
export class DataUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfter = 5,
  ) {
    super(message);
  }
}

function log(err: unknown, what: string): void {
  console.error(`[data] ${what}:`, err instanceof ClientResponseError ? `${err.status} ${err.url} ${JSON.stringify(err.response)}` : err);
}

export function classifySourceError(err: unknown): SourceFailure | null {
  if (err instanceof DataUnavailableError) return { message: err.message, retryAfter: err.retryAfter };
  if (err instanceof SourceError) return { message: err.message, retryAfter: err.retryAfter };
  if (err instanceof ReaderConfigError) {
    log(err, "reader account");
    return { message: "The dashboard cannot sign in to its statistics source (reader account); the operator has been told.", retryAfter: 60 };
  }
  if (err instanceof ClientResponseError) {
    const cause: unknown = err.originalError;
    if (cause instanceof SourceError) return { message: cause.message, retryAfter: cause.retryAfter };
    if (err.isAbort) return { message: "The statistics source did not answer in time.", retryAfter: 5 };
    log(err, "PocketBase");
    if (err.status === 0) return { message: "The statistics source is not reachable.", retryAfter: 5 };
    if (err.status === 404) return { message: "The statistics source lacks the dashboard's collections (migrations not installed?).", retryAfter: 60 };
    if (err.status >= 500) return { message: "The statistics source answered with an error.", retryAfter: 5 };
    return { message: "The statistics source rejected a query; the error was logged.", retryAfter: 60 };
  }
  return null;
}

/** The public message for a data failure, or null for errors that are bugs. */
export function explainDataError(err: unknown): string | null {
  return classifySourceError(err)?.message ?? null;
}
