/**
 * Turns data-layer failures into a message a visitor can read and a Retry-After, so a page or
 * the API explains what is wrong instead of answering a bare 500. Public messages never carry
 * PocketBase's address, credentials or its own error text; the details go to the server log.
 * Errors that are not the source's (bugs in the dashboard) are not explained: they stay errors.
 */
import "server-only";
import type { ClientResponseError } from "pocketbase";
import type { SourceFailure } from "./cache";
import type { ReaderConfigError } from "./pocketbase";
import type { SourceError } from "./gate";

/** A failure already explained (e.g. from the data cache), rethrown where it can be caught. */
export class DataUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfter = 5,
  ) {
    super(message);
    this.name = "DataUnavailableError";
  }
}

/**
 * Whether `err` is an error of that class, by its name rather than `instanceof`: Next.js loads
 * this module, the gate and the PocketBase SDK once per bundle (pages, route handlers), while
 * the data cache is one per process — an error thrown under one bundle's classes is classified
 * by another bundle's copy of this function. (The SDK names its errors "ClientResponseError 404".)
 */
function named<E extends Error>(err: unknown, name: string): err is E {
  return err instanceof Error && (err.name === name || err.name.startsWith(`${name} `));
}

function log(err: unknown, what: string): void {
  console.error(`[data] ${what}:`, named<ClientResponseError>(err, "ClientResponseError") ? `${err.status} ${err.url} ${JSON.stringify(err.response)}` : err);
}

export function classifySourceError(err: unknown): SourceFailure | null {
  if (named<DataUnavailableError>(err, "DataUnavailableError")) return { message: err.message, retryAfter: err.retryAfter };
  if (named<SourceError>(err, "SourceError")) return { message: err.message, retryAfter: err.retryAfter };
  if (named<ReaderConfigError>(err, "ReaderConfigError")) {
    log(err, "reader account");
    return { message: "The dashboard cannot sign in to its statistics source (reader account); the operator has been told.", retryAfter: 60 };
  }
  if (named<ClientResponseError>(err, "ClientResponseError")) {
    const cause: unknown = err.originalError;
    if (named<SourceError>(cause, "SourceError")) return { message: cause.message, retryAfter: cause.retryAfter };
    if (err.isAbort) return { message: "The statistics source did not answer in time.", retryAfter: 5 };
    log(err, "PocketBase");
    if (err.status === 0) return { message: "The statistics source is not reachable.", retryAfter: 5 };
    if (err.status === 404) return { message: "The statistics source lacks the dashboard's collections (migrations not installed?).", retryAfter: 60 };
    if (err.status >= 500) return { message: "The statistics source answered with an error.", retryAfter: 5 };
    return { message: "The statistics source rejected a query; the error was logged.", retryAfter: 60 };
  }
  return null;
}
