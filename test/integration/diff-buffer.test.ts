import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DiffBuffer } from "../../durable-objects/realtime/diff-buffer";
import type { Lab } from "../fixtures/lab";
import { labs } from "../support/live";

/** Pushes a chain of frames from..to (each from the previous seq, one rid throughout). */
function chain(buffer: DiffBuffer, from: number, to: number): void {
  for (let seq = from + 1; seq <= to; seq++) buffer.push({ seq: seq - 1, rid: "r" }, seq, "r", `f${seq}`);
}

const rows = (sql: SqlStorage) => sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM _stratus_resume").toArray()[0]!.n;

describe("the resume buffer", () => {
  it("keeps at least its capacity and at most a quarter more, trimming the oldest in batches", async () => {
    await runInDurableObject(labs.LAB.getByName("diff-buffer-bounds"), async (_i: Lab, state) => {
      const sql = state.storage.sql;
      const buffer = new DiffBuffer(sql, 8);
      buffer.clear();
      const seen: number[] = [];
      for (let to = 1; to <= 40; to++) {
        chain(buffer, to - 1, to);
        seen.push(rows(sql));
      }
      expect(Math.max(...seen)).toBe(10);
      expect(seen.slice(8).every((n) => n >= 8 && n <= 10)).toBe(true);
      // The newest eight always resume; everything older than what is kept does not.
      expect(buffer.since(32, "r", 40, "r")).toEqual(["f33", "f34", "f35", "f36", "f37", "f38", "f39", "f40"]);
      const oldest = sql.exec<{ s: number }>("SELECT MIN(seq) AS s FROM _stratus_resume").toArray()[0]!.s;
      expect(buffer.since(oldest - 2, "r", 40, "r")).toBeUndefined();
      // A reopened buffer (after eviction) counts what is stored and keeps the same bound.
      const reopened = new DiffBuffer(sql, 8);
      chain(reopened, 40, 60);
      expect(rows(sql)).toBeGreaterThanOrEqual(8);
      expect(rows(sql)).toBeLessThanOrEqual(10);
      expect(reopened.since(52, "r", 60, "r")).toHaveLength(8);
    });
  });

  it("trims by position, not by seq arithmetic: a buffer cleared and restarted at another seq keeps its newest frames", async () => {
    await runInDurableObject(labs.LAB.getByName("diff-buffer-restart"), async (_i: Lab, state) => {
      const sql = state.storage.sql;
      const buffer = new DiffBuffer(sql, 4);
      buffer.clear();
      chain(buffer, 0, 3);
      buffer.clear();
      chain(buffer, 1000, 1020);
      expect(buffer.since(1016, "r", 1020, "r")).toEqual(["f1017", "f1018", "f1019", "f1020"]);
    });
  });
});
