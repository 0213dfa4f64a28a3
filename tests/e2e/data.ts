/**
 * What the end-to-end tests compare the dashboard with: SQL over the raw records of the
 * PocketBase that global-setup.ts seeded (read-only), and the events seeded into them.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { eventTruth } from "../../scripts/lib/demo-events";

/** Rows of a query over the seeded data.db; args as better-sqlite3 binds them (positional or one object of named ones). */
export function sql<T>(query: string, ...args: unknown[]): T[] {
  const db = new Database(join(process.env.E2E_DATA_DIR!, "data.db"), { readonly: true });
  try {
    return db.prepare(query).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** The seeded events (scripts/lib/demo-events.ts) by id, for the end the data was generated with. */
export function truth() {
  return new Map(eventTruth(new Date(process.env.E2E_DATA_END!)).map((t) => [t.id, t]));
}
