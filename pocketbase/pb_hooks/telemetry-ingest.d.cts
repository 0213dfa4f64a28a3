/** Types of telemetry-ingest.cjs (plain JavaScript, so PocketBase can load it) for scripts and tests. */

type Value = string | number | boolean;

/** A checked event: the columns its payload carried, and what it does to its run. */
interface IngestEvent {
  /** The run's key: execution_id, or random_id when the payload had none. */
  key: string;
  kind: "progress" | "final";
  /** Stored status: `installing` for progress, else success, failed, aborted or unknown. */
  status: "installing" | "success" | "failed" | "aborted" | "unknown";
  /** The progress status (installing, validation, configuring); empty for a final event. */
  phase: string;
  values: Record<string, Value>;
  notes: string[];
}

interface MergePlan {
  action: "create" | "update" | "none";
  /** Columns to write. */
  values: Record<string, Value>;
  /** Creates only: when the install started (epoch ms). */
  created?: number;
  /** The run's stored status afterwards. */
  status: string;
  notes: string[];
}

declare const ingest: {
  BODY_LIMIT: number;
  ERROR_MAX: number;
  /** Every payload field the protocol knows. */
  KNOWN: readonly string[];
  decode(body: string): { fields: Record<string, unknown>; how: "json" | "repaired" | "rescued"; error?: undefined } | { error: string; fields?: undefined; how?: undefined };
  normalize(fields: Record<string, unknown>): { event: IngestEvent; error?: undefined } | { error: string; event?: undefined };
  merge(stored: Record<string, unknown> | null, event: IngestEvent, nowMs: number): MergePlan;
  maskAddresses(text: string): string;
};
export = ingest;
