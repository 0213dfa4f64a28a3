/** Types of telemetry-signature.cjs (plain JavaScript, so PocketBase can load it) for the dashboard, scripts and tests. */

interface Signature {
  /** The script line the command failed at; 0 when not reported. */
  line: number;
  /** The failing command, normalised (public); "" when the error text names none. */
  command: string;
}

declare const signature: {
  COMMAND_MAX: number;
  signatureOf(error: string | null | undefined): Signature;
  signatureColumns(error: string | null | undefined): { fail_line: number; fail_command: string };
  normaliseCommand(raw: string): string;
};
export = signature;
