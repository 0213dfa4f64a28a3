/**
 * The runs and script changes the end-to-end tests read (tests/e2e/global-setup.ts), and `npm run api:diff` serves
 * to the two builds it compares. Returns where the generated runs end.
 */
import { insertRows } from "../../scripts/lib/bulk-insert";
import { insertDemoChanges } from "../../scripts/lib/demo-changes";
import { generateRows } from "../../scripts/lib/generate";
import { withContractRows } from "./contract-rows";

export function insertE2eRows(dbPath: string): Date {
  // Ends two hours ago so no generated run crosses the unfinished threshold during the tests;
  // the tests add fresh runs themselves to see "running".
  const end = new Date(Date.now() - 2 * 3_600_000);
  // 3,000 runs a day: enough that the worst LXC app with ≥ 50 runs (a broken app such as
  // mastodon, ~100 runs at ~45 % failures whatever the hour) has two pages of failed runs.
  // At 1,500 it hovered around 50 runs and, some hours, had fewer than 21 failures.
  // Plus runs the generator never makes (an app on two OSes up to the current hour, an app whose
  // two install types move apart): tests/support/contract-rows.ts.
  insertRows(dbPath, withContractRows(generateRows({ seed: 2026, days: 30, runsPerDay: 3000, end }), new Date()), { maintainRollups: false });
  // The demo's script changes: each seeded regression's cause before it, and changes that must not be blamed.
  insertDemoChanges(dbPath, end);
  return end;
}
