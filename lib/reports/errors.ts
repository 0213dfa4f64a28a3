/**
 * The exit-codes report — the /errors table, /api/v1/errors and its CSV — declared once:
 * parameters from the views `errors` and `apiErrors` (lib/views.ts), rows from lib/data
 * (loadExitCodeRanking/fetchExitCodeRanking), meanings from the one exit-code module.
 */
import { z } from "zod";
import type { ExitCodeRank } from "../data";
import { exitCodeInfo } from "../exit-codes";
import { viewHref } from "../params";
import { VIEWS } from "../views";
import { field, report, type ShareContext } from "./report";

const int = z.number().int().nonnegative();

export const ERRORS = report<ExitCodeRank, ShareContext>([
  field("exit_code", int, (c) => c.exitCode, {
    table: {
      key: "code",
      label: "Exit code",
      sortable: true,
      firstDescending: false,
      cell: (c, { state }) => ({ kind: "code", code: c.exitCode, text: exitCodeInfo(c.exitCode).message, href: viewHref(VIEWS.error, `/errors/${c.exitCode}`, state) }),
    },
  }),
  field("message", z.string(), (c) => exitCodeInfo(c.exitCode).message),
  field("section", z.string(), (c) => exitCodeInfo(c.exitCode).section, {
    table: { label: "Section", priority: 3, cell: (c) => ({ kind: "text", value: exitCodeInfo(c.exitCode).section, muted: true }) },
  }),
  field("category", z.string(), (c) => exitCodeInfo(c.exitCode).category, {
    table: { label: "Category", priority: 3, cell: (c) => ({ kind: "text", value: exitCodeInfo(c.exitCode).category }) },
  }),
  field("failed", int, (c) => c.failed, { table: { label: "Failures", sortable: true, testId: "code-failed", cell: (c) => ({ kind: "integer", value: c.failed }) } }),
  field("aborted", int, (c) => c.aborted, {
    table: { label: "Aborted", sortable: true, priority: 2, testId: "code-aborted", when: ({ state }) => state.aborts, cell: (c) => ({ kind: "integer", value: c.aborted }) },
  }),
  field("total", int, (c) => c.total, {
    table: { label: "Share", sortable: true, priority: 2, testId: "code-share", cell: (c, { maxShare }) => ({ kind: "share", value: c.share, max: maxShare }) },
  }),
  field("share", z.number().min(0).max(1), (c) => c.share),
]);
