/**
 * Failing commands on the production build over the e2e data: the app page's table, the API's
 * JSON and CSV equal SQL over the raw records; the seeded regression's command (jellyfin-apt,
 * scripts/lib/demo-events.ts) is what its app shows from the regression's first day and what the
 * regression names, on /regressions, in the API and in the feed.
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { DEMO_EVENTS } from "../../scripts/lib/demo-events";
import { sql, truth } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const jellyfin = DEMO_EVENTS.find((e) => e.id === "jellyfin-apt")!;
const seededCommand = jellyfin.kind === "regression" ? jellyfin.command! : null!;

interface Row {
  command: string;
  line: number;
  failed: number;
  first_seen: string;
  last_seen: string;
  exit_codes: { exit_code: number; failed: number }[];
}

/** The app's failing commands over [from, to] by SQL: rows most failures first, and the totals. */
function bySql(nsapp: string, from: string, to: string) {
  const where = "nsapp = ? AND status = 'failed' AND substr(created, 1, 10) BETWEEN ? AND ?";
  const [total] = sql<{ n: number; with: number }>(`SELECT COUNT(*) AS n, COALESCE(SUM(fail_command != ''), 0) AS "with" FROM ${RUNS} WHERE ${where}`, nsapp, from, to);
  const rows = sql<{ line: number; command: string; n: number; first: string; last: string }>(
    `SELECT fail_line AS line, fail_command AS command, COUNT(*) AS n, MIN(substr(created, 1, 10)) AS first, MAX(substr(created, 1, 10)) AS last
     FROM ${RUNS} WHERE ${where} AND fail_command != '' GROUP BY 1, 2 ORDER BY n DESC, line, command`,
    nsapp,
    from,
    to,
  );
  const codes = sql<{ line: number; command: string; code: number; n: number }>(
    `SELECT fail_line AS line, fail_command AS command, exit_code AS code, COUNT(*) AS n FROM ${RUNS} WHERE ${where} AND fail_command != '' GROUP BY 1, 2, 3 ORDER BY n DESC, code`,
    nsapp,
    from,
    to,
  );
  return {
    total: total!,
    rows: rows.map(
      (r): Row => ({
        command: r.command,
        line: r.line,
        failed: r.n,
        first_seen: r.first,
        last_seen: r.last,
        exit_codes: codes.filter((c) => c.line === r.line && c.command === r.command).map((c) => ({ exit_code: c.code, failed: c.n })),
      }),
    ),
  };
}

test("jellyfin's failing commands: JSON, CSV and the page equal SQL; the seeded command leads from the regression's first day", async ({ request, page }) => {
  const res = await request.get(`${app()}/api/v1/apps/jellyfin/failing-commands?range=30d`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  const want = bySql("jellyfin", body.range.from, body.range.to);
  expect(body.totals).toEqual({ failed: want.total.n, with_command: want.total.with });
  const got = body.data.map(({ share, ...r }: Row & { share: number }) => {
    expect(share).toBeCloseTo(r.failed / want.total.n, 12);
    return r;
  });
  expect(new Set(got.map((r: Row) => JSON.stringify(r)))).toEqual(new Set(want.rows.map((r) => JSON.stringify(r))));
  const top = body.data[0] as Row;
  expect(top).toMatchObject({ line: seededCommand.line, command: signature.normaliseCommand(seededCommand.command), first_seen: truth().get("jellyfin-apt")!.start });

  const csv = (await (await request.get(`${app()}/api/v1/apps/jellyfin/failing-commands.csv?range=30d`)).text()).trim().split("\r\n");
  expect(csv[0]).toBe("command,line,failed,share,first_seen,last_seen,exit_codes");
  expect(csv.length - 1).toBe(want.rows.length);

  await page.goto(`${app()}/apps/jellyfin`);
  const table = page.getByTestId("app-failing-commands");
  await expect(table.locator("tbody tr").first()).toContainText(top.command);
  await expect(table.locator("tbody tr").first()).toContainText(`line ${top.line}`);
  await expect(page.getByTestId("failing-commands-summary")).toContainText(`${want.total.with.toLocaleString("en-US")} of ${want.total.n.toLocaleString("en-US")} failures`);
});

test("the seeded regression names its command: API, CSV, /regressions and the feed", async ({ request }) => {
  const command = signature.normaliseCommand(seededCommand.command);
  const body = await (await request.get(`${app()}/api/v1/regressions?range=30d`)).json();
  const r = body.data.find((x: { nsapp: string }) => x.nsapp === "jellyfin");
  expect(r.failing_command).toMatchObject({ line: seededCommand.line, command });
  const [n] = sql<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ${RUNS} WHERE nsapp = 'jellyfin' AND status = 'failed' AND fail_command = ? AND fail_line = ? AND substr(created, 1, 10) BETWEEN ? AND ?`,
    command,
    seededCommand.line,
    r.start,
    r.last,
  );
  expect(r.failing_command.failed).toBe(n!.n);
  const csv = await (await request.get(`${app()}/api/v1/regressions.csv?range=30d`)).text();
  expect(csv.split("\r\n")[0]!.endsWith(",failing_command,failing_command_line")).toBe(true);
  const sentence = `Since ${r.start} mostly \`${command}\` at line ${seededCommand.line}`;
  expect(await (await request.get(`${app()}/regressions`)).text()).toContain(sentence.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
  expect(await (await request.get(`${app()}/feed.xml`)).text()).toContain(sentence.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
});
