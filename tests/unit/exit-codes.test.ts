/**
 * lib/exit-codes.ts against the reference TSVs (tests may read reference/; the app may not),
 * and the generated lib/reference modules against the TSVs they were generated from.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explainExitCode, exitCodeInfo, sectionForCode, UNKNOWN_ERROR } from "../../lib/exit-codes";
import { APPS } from "../../lib/reference/apps";
import { EXIT_CODES } from "../../lib/reference/exit-codes";
import { EXIT_CODE_HISTORY } from "../../lib/reference/exit-codes-history";
import { readReferenceTsv, renderAll } from "../../scripts/lib/reference-tsv";

const tsv = readReferenceTsv();

/** Deliberately naive TSV reading (not the importer's parser), so the two check each other. */
function rows(text: string): string[][] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .slice(1)
    .map((l) => l.split("\t"));
}

const canonical = rows(tsv.exitCodes).map(([code, message, section, category]) => ({
  code: Number(code),
  message: message!,
  section: section!,
  category: category!,
}));
const listed = new Map(canonical.map((r) => [r.code, r]));

describe("explainExitCode (canonical)", () => {
  it("returns exactly the TSV message for every listed code", () => {
    expect(canonical.length).toBe(163);
    for (const r of canonical) expect(explainExitCode(r.code), `code ${r.code}`).toBe(r.message);
  });

  it("explains every code 0–255 as its canonical message or 'Unknown error'", () => {
    for (let code = 0; code <= 255; code++) {
      expect(explainExitCode(code), `code ${code}`).toBe(listed.get(code)?.message ?? UNKNOWN_ERROR);
    }
  });

  it("follows the TSV for 0: not listed, so 'Unknown error'", () => {
    expect(listed.has(0)).toBe(false);
    expect(explainExitCode(0)).toBe("Unknown error");
  });

  it("gives the TSV row as exitCodeInfo for listed codes", () => {
    for (const r of canonical) expect(exitCodeInfo(r.code)).toEqual(r);
  });

  it("derives section from the documented ranges for unlisted codes", () => {
    expect(exitCodeInfo(0)).toEqual({ code: 0, message: UNKNOWN_ERROR, section: "Unknown", category: "unknown" });
    expect(exitCodeInfo(9).section).toBe("curl / wget errors");
    expect(exitCodeInfo(96).section).toBe("Unknown");
    expect(exitCodeInfo(133).section).toBe("Common shell/system errors");
    expect(exitCodeInfo(240)).toMatchObject({ section: "Node.js / npm / pnpm / yarn (239-249)", category: "unknown" });
    expect(exitCodeInfo(241).message).toBe(UNKNOWN_ERROR);
  });

  it("has ranges that agree with the TSV's own sections (75 and 78 are filed under curl there)", () => {
    for (const r of canonical) {
      if (r.code === 75 || r.code === 78) continue;
      expect(sectionForCode(r.code), `code ${r.code}`).toBe(r.section);
    }
  });
});

describe("explainExitCode (at a record's date)", () => {
  const now = new Date();

  it("explains a reused code by its meaning then, and today's meaning now", () => {
    expect(explainExitCode(243, "2025-12-20 10:15:00.000Z")).toBe("MySQL/MariaDB: Database does not exist");
    expect(explainExitCode(243, now)).toBe("Node.js: Out of memory (JavaScript heap out of memory)");
    expect(explainExitCode(232, new Date("2026-01-05T08:00:00Z"))).toBe("PostgreSQL: Authentication failed (bad user/password)");
    expect(explainExitCode(232, now)).toBe(listed.get(232)!.message);
    expect(explainExitCode(200, "2025-12-24")).toBe("Custom: Failed to create lock file");
  });

  it("treats first_seen and last_seen as inclusive UTC days", () => {
    expect(explainExitCode(130, "2026-02-12 23:59:59.999Z")).toBe("Terminated by Ctrl+C (SIGINT)");
    expect(explainExitCode(130, "2026-02-13 00:00:00.000Z")).toBe("Aborted by user (SIGINT)");
    expect(explainExitCode(232, "2026-01-06 23:00:00.000Z")).toMatch(/^PostgreSQL/);
    // An offset that is still Jan 6 locally but Jan 7 in UTC: outside the row.
    expect(explainExitCode(232, "2026-01-06T23:30:00-05:00")).toBe(listed.get(232)!.message);
  });

  it("falls back to the canonical message before first_seen, in gaps and after the last snapshot", () => {
    expect(explainExitCode(232, "2025-11-01")).toBe(listed.get(232)!.message);
    expect(explainExitCode(232, "2026-01-20")).toBe(listed.get(232)!.message); // between snapshots
    expect(explainExitCode(106, "2026-05-01")).toBe(listed.get(106)!.message);
    expect(explainExitCode(227, "2025-12-20")).toBe(listed.get(227)!.message); // no history rows
    expect(explainExitCode(243, "2030-01-01")).toBe(listed.get(243)!.message);
    expect(explainExitCode(243, "not a date")).toBe(listed.get(243)!.message);
  });

  it("explains codes that were removed since by their old message, and 'Unknown error' today", () => {
    expect(explainExitCode(241, "2025-12-20")).toBe("MySQL/MariaDB: Connection failed (server not running / wrong socket)");
    expect(explainExitCode(241, now)).toBe(UNKNOWN_ERROR);
  });

  it("returns every history row's message on its first and last day", () => {
    for (const [code, message, firstSeen, lastSeen] of rows(tsv.history)) {
      expect(explainExitCode(Number(code), firstSeen!), `${code} on ${firstSeen}`).toBe(message);
      expect(explainExitCode(Number(code), lastSeen!), `${code} on ${lastSeen}`).toBe(message);
    }
  });
});

describe("lib/reference modules", () => {
  it("equal what the TSVs say", () => {
    expect(EXIT_CODES).toEqual(canonical);
    const history = rows(tsv.history).map(([code, message, firstSeen, lastSeen]) => ({ code: Number(code), message, firstSeen, lastSeen }));
    expect(EXIT_CODE_HISTORY).toEqual(history);
    const num = (v: string | undefined) => (v ? Number(v) : null);
    const apps = rows(tsv.apps).map(([nsapp, type, name, cpu, ram, disk, os, osVersion]) => ({
      nsapp,
      type,
      name: name || null,
      cpu: num(cpu),
      ramMb: num(ram),
      diskGb: num(disk),
      os: os || null,
      osVersion: osVersion || null,
    }));
    // apps.tsv lists scanopy twice (identical lines); the module keeps it once.
    const unique = [...new Map(apps.map((a) => [`${a.nsapp}\t${a.type}`, a])).values()];
    expect(unique.length).toBe(apps.length - 1);
    expect(APPS).toEqual(unique);
  });

  it("are up to date (npm run import:reference would not change them)", () => {
    for (const [path, text] of Object.entries(renderAll(tsv))) {
      expect(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"), path).toBe(text);
      expect(text.startsWith("// GENERATED by npm run import:reference — do not edit")).toBe(true);
    }
  });

  it("and lib/exit-codes.ts do no I/O (they ship to the browser; reference/ is not deployed)", () => {
    for (const path of ["lib/exit-codes.ts", ...Object.keys(renderAll(tsv))]) {
      const source = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
      expect(source, path).not.toMatch(/from "node:|require\(|readFileSync|fetch\(/);
    }
  });
});
