/**
 * An app's failures by the command that failed (the failure signature, normalised: never the
 * error text) — the app page's "Where it fails" section. Columns: lib/reports/failing-commands.ts.
 */
import { DataTable } from "@/components/DataTable";
import { Loaded } from "@/components/Section";
import { loadFailingCommands } from "@/lib/data";
import { formatInt, formatPercent } from "@/lib/format";
import type { Range } from "@/lib/range";
import { FAILING_COMMANDS } from "@/lib/reports/failing-commands";

export async function FailingCommands({ nsapp, range, api }: { nsapp: string; range: Range; api: { json: string; csv: string } }) {
  return (
    <Loaded result={await loadFailingCommands(nsapp, range)}>
      {(found) => (
        <>
          <p className="muted" data-testid="failing-commands-summary">
            {found.failed === 0
              ? "No failures in this range."
              : `${formatInt(found.with_command)} of ${formatInt(found.failed)} failures (${formatPercent(found.with_command / found.failed)}) named the command that failed — today's scripts report it; older runs do not.`}{" "}
            Commands are normalised: versions, numbers, hashes, temporary paths, addresses, host and user names and secrets are masked (<a href="/methodology#commands">how</a>
            ). <a href={api.json}>JSON</a> · <a href={api.csv}>CSV</a>
          </p>
          <DataTable
            testId="app-failing-commands"
            rows={found.commands}
            fold={8}
            rowKey={(c) => `${c.line}:${c.command}`}
            columns={FAILING_COMMANDS.table(null)}
            empty={found.failed ? "None of this range's failures named a command." : "No failures in this range."}
          />
        </>
      )}
    </Loaded>
  );
}
