import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sqliteOrder } from "../../lib/data/series-keys";
import { rng } from "../support/random";

describe("sqliteOrder", () => {
  it("orders text as SQLite's BINARY collation does (UTF-8 bytes), numbers by value, NULL first", () => {
    const r = rng(5);
    // ASCII, Latin, CJK, the private use area above the surrogates, and astral characters (surrogate pairs).
    const alphabet = ["a", "B", "z", "-", "0", "é", "ü", "中", "\ue000", "\uffee", "😀", "𝔸", " "];
    const words = Array.from({ length: 300 }, () => Array.from({ length: 1 + r.int(4) }, () => r.pick(alphabet)).join(""));
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (v TEXT)");
    const ins = db.prepare("INSERT INTO t VALUES (?)");
    for (const w of words) ins.run(w);
    const bySqlite = (db.prepare("SELECT v FROM t ORDER BY v").all() as { v: string }[]).map((x) => x.v);
    expect([...words].sort(sqliteOrder)).toEqual(bySqlite);
    expect([3, null, -1, 2].sort(sqliteOrder)).toEqual([null, -1, 2, 3]);
  });
});
