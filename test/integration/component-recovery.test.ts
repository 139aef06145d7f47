import { abortAllDurableObjects, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { toHtml } from "../../worker/templating/rendered";
import { labs } from "../support/live";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("recovery", () => {
  it("1,000 actions, then eviction and abortAll: state identical, seq continues", async () => {
    const stub = labs.COUNTER.getByName("thousand");
    for (let i = 1; i <= 1000; i++) {
      const r = await stub.dispatch("increment", { by: (i % 7) + 1 });
      if (!r.ok || r.seq !== i) throw new Error(`action ${i}: ${JSON.stringify(r)}`);
    }
    const before = await stub.currentRender();
    const expected = Array.from({ length: 1000 }, (_, i) => ((i + 1) % 7) + 1).reduce((a, b) => a + b, 0);
    expect(toHtml(before.dynamics, before.statics)).toContain(`>${expected}<`);
    expect(before.seq).toBe(1000);
    expect((await stub.stats()).snapshots).toEqual([1000]);

    await evictDurableObject(stub);
    const afterEvict = await stub.currentRender();
    expect(afterEvict).toEqual(before);

    await abortAllDurableObjects();
    const fresh = labs.COUNTER.getByName("thousand");
    expect(await fresh.currentRender()).toEqual(before);
    expect(await fresh.dispatch("increment", { by: 1 })).toEqual({ ok: true, seq: 1001, duplicate: false });
    expect((await fresh.stateAt(1001)).state).toEqual({ count: expected + 1 });
  }, 60_000);

  it("recovers from snapshot plus the events after it", async () => {
    const stub = labs.LAB.getByName("snap-1");
    for (let i = 0; i < 12; i++) await stub.dispatch("add", { by: 1 });
    expect((await stub.stats()).snapshots).toEqual([5, 10]);
    await evictDurableObject(stub);
    expect(await stub.stateAt(12)).toMatchObject({ seq: 12, state: { total: 12 } });
    expect((await stub.stats()).seq).toBe(12);
  });
});

describe("time travel", () => {
  it("answers the state at a seq and at a time", async () => {
    const stub = labs.LAB.getByName("travel-1");
    const times: number[] = [];
    for (let i = 1; i <= 8; i++) {
      await stub.dispatch("item", { text: `t${i}` });
      await sleep(5);
      times.push(Date.now());
      await sleep(5);
    }
    expect((await stub.stateAt(0)).state.items).toEqual([]);
    expect((await stub.stateAt(3)).state.items).toEqual(["t1", "t2", "t3"]);
    expect((await stub.stateAt(7)).state.items).toHaveLength(7);
    expect(await stub.stateAt(new Date(times[4]!))).toMatchObject({ seq: 5 });
    expect((await stub.stateAt(new Date(times[4]!))).state.items.at(-1)).toBe("t5");
    expect((await stub.stateAt(new Date(0))).seq).toBe(0);
    expect(String(await stub.stateAt(99).then(() => "resolved", (e: unknown) => e))).toMatch(/future/);
  });

  it("a retention policy compacts the log behind the kept snapshot and refuses older points", async () => {
    const stub = labs.COMPACT_LAB.getByName("compact-1");
    for (let i = 0; i < 12; i++) await stub.dispatch("add", { by: 1 });
    const stats = await stub.stats();
    expect(stats.snapshots).toEqual([10]);
    expect(stats.events).toBe(2);
    expect((await stub.stateAt(11)).state.total).toBe(11);
    expect((await stub.stateAt(10)).state.total).toBe(10);
    expect(String(await stub.stateAt(3).then(() => "resolved", (e: unknown) => e))).toMatch(/compacted/);
    await evictDurableObject(stub);
    expect((await stub.stats()).seq).toBe(12);
    expect((await stub.stateAt(12)).state.total).toBe(12);
  });

  it("after compaction, a time before the first kept event answers the snapshot it can prove, or refuses", async () => {
    const stub = labs.COMPACT_LAB.getByName("compact-travel");
    const after: number[] = [];
    const before = Date.now();
    await sleep(2);
    for (let i = 1; i <= 12; i++) {
      await stub.dispatch("add", { by: 1 });
      await sleep(2);
      after.push(Date.now());
      await sleep(2);
    }
    expect((await stub.stats()).snapshots).toEqual([10]);
    // After seq 10 committed and before seq 11: the kept snapshot at 10 proves it.
    expect(await stub.stateAt(new Date(after[9]!))).toMatchObject({ seq: 10, state: { total: 10 } });
    expect(await stub.stateAt(new Date(after[10]!))).toMatchObject({ seq: 11, state: { total: 11 } });
    // Before seq 10: those events are gone, so neither initial() nor a guess.
    for (const t of [before, after[2]!, 0]) {
      expect(String(await stub.stateAt(new Date(t)).then((s) => `resolved at ${s.seq}`, (e: unknown) => e))).toMatch(/compacted up to seq 10/);
    }
  });
});

describe("event versions", () => {
  it("upcasts old event shapes when the log is read", async () => {
    const stub = labs.LAB.getByName("upcast-1");
    await stub.dispatch("add", { by: 2 });
    // An event written by an older release: version 1, { amount } instead of { by }.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("INSERT INTO _stratus_events (seq, type, v, data, at) VALUES (2, 'added', 1, ?, ?)", JSON.stringify({ type: "added", amount: 40 }), Date.now());
    });
    await evictDurableObject(stub);
    expect((await stub.stats()).seq).toBe(2);
    expect((await stub.stateAt(2)).state.total).toBe(42);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ seq: number; v: number }>("SELECT seq, v FROM _stratus_events ORDER BY seq").toArray());
    // New events are written at the current version (2), old rows stay as they were.
    expect(rows).toEqual([{ seq: 1, v: 2 }, { seq: 2, v: 1 }]);
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 3 });
    expect((await stub.stateAt(3)).state.total).toBe(43);
  });
});

describe("snapshots larger than a row", () => {
  it("splits a snapshot over 2 MB across rows and restores it whole", async () => {
    const stub = labs.LAB.getByName("big-1");
    // Five ~900k-character events: the snapshot at seq 5 is about 4.5 MB of JSON.
    for (let i = 0; i < 5; i++) expect(await stub.dispatch("blob", { chars: 900_000 })).toMatchObject({ ok: true });
    const parts = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec<{ parts: number; bytes: number }>("SELECT COUNT(*) AS parts, SUM(LENGTH(data)) AS bytes FROM _stratus_snapshot_parts WHERE seq = 5").toArray()[0]!,
    );
    expect(parts.parts).toBeGreaterThan(3);
    expect(parts.bytes).toBeGreaterThan(4_500_000);
    // Recovery must come from the snapshot: drop the events it covers first.
    await runInDurableObject(stub, (_i, state) => void state.storage.sql.exec("DELETE FROM _stratus_events WHERE seq <= 5"));
    await evictDurableObject(stub);
    const s = await stub.stateAt(5);
    expect(s.state.blobs).toBe(5);
    expect(s.state.blobData.map((d) => d.length)).toEqual([900_000, 900_000, 900_000, 900_000, 900_000]);
    expect(s.state.blobData[3]!.startsWith("3")).toBe(true);
    expect((await stub.stats()).seq).toBe(5);
  });
});
