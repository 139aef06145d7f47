// The commit path's guarantees: a durable commit is never reported as failed, what the
// live state holds is exactly what recovery rebuilds, decisions see the latest state,
// and housekeeping (snapshots, id pruning) runs on its own and never blocks a commit.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PART_CHARS } from "../../durable-objects/state/state-store";
import type { Lab } from "../fixtures/lab";
import { connectDirect, hello, labs } from "../support/live";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const live = (stub: DurableObjectStub<Lab>) => runInDurableObject(stub, (lab: Lab) => lab.liveState());
const uid = () => crypto.randomUUID().slice(0, 8);

describe("a snapshot failure after a commit", () => {
  it("leaves the commit reported, diffed and recoverable, and later commits flowing", async () => {
    const key = `snapfail-${uid()}`;
    const stub = labs.LAB.getByName(key);
    const c = await connectDirect(labs.LAB, key);
    await hello(c);
    for (let i = 1; i <= 4; i++) await stub.dispatch("add", { by: 1 });
    // Seq 5 is a snapshot point, and the state now holds a BigInt, which JSON cannot write.
    expect(await stub.dispatch("bigint", {})).toEqual({ ok: true, seq: 5, duplicate: false });
    for (let i = 6; i <= 12; i++) expect(await stub.dispatch("add", { by: 1 })).toEqual({ ok: true, seq: i, duplicate: false });
    await c.until((x) => x.of("diff").some((d) => d.seq === 12));
    expect((await stub.stats()).snapshots).toEqual([]);
    c.close();
    await evictDurableObject(stub);
    const state = await live(stub);
    expect(state.total).toBe(11);
    expect(state.extras).toEqual([10n]);
    expect((await stub.stats()).seq).toBe(12);
  });

  it("does not make an alarm task run (and append) again", async () => {
    const stub = labs.LAB.getByName(`snapalarm-${uid()}`);
    for (let i = 1; i <= 4; i++) await stub.dispatch("add", { by: 1 });
    await runInDurableObject(stub, (lab: Lab) => lab.scheduleNow("bigint"));
    await runDurableObjectAlarm(stub);
    expect(await runInDurableObject(stub, (lab: Lab) => lab.scheduledTasks())).toEqual([]);
    expect((await live(stub)).extras).toEqual([10n]);
    expect((await stub.stats()).seq).toBe(5);
  });
});

describe("alarm runs", () => {
  it("a retried run of a task reuses its idempotency key, so its events are appended once", async () => {
    const stub = labs.LAB.getByName(`alarmkey-${uid()}`);
    await runInDurableObject(stub, (lab: Lab) => lab.scheduleNow("tick"));
    const [task] = await runInDurableObject(stub, (lab: Lab) => lab.scheduledTasks());
    await runDurableObjectAlarm(stub);
    expect((await live(stub)).ticks).toBe(1);
    // The run's row outlived its commit (the object died before the delete) and was moved on by backoff.
    await runInDurableObject(stub, async (_lab, state) => {
      state.storage.sql.exec("INSERT INTO _stratus_schedule (id, name, payload, at, attempts, run) VALUES (?, ?, 'null', ?, 1, ?)", task!.id, task!.name, task!.at + 1, task!.run);
      await state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(stub);
    expect(await runInDurableObject(stub, (lab: Lab) => lab.scheduledTasks())).toEqual([]);
    expect((await live(stub)).ticks).toBe(1);
    expect((await stub.stats()).seq).toBe(1);
  });
});

describe("snapshot parts", () => {
  it("a snapshot past 2 MB of emoji and CJK text survives eviction intact", async () => {
    const stub = labs.LAB.getByName(`utf16-${uid()}`);
    const big = "😀中文".repeat(150_000);
    // Pad so that a cut by code units would fall between the halves of a surrogate pair.
    const pad = ["", "a", "aa", "aaa"].find((p) => {
      const json = JSON.stringify({ total: 0, items: [], blobs: 5, blobData: [p, big, big, big, big], ticks: 0 });
      const unit = json.charCodeAt(PART_CHARS - 1);
      return unit >= 0xd800 && unit <= 0xdbff;
    })!;
    expect(pad).toBeDefined();
    await stub.dispatch("text", { text: pad });
    for (let i = 0; i < 4; i++) await stub.dispatch("text", { text: big });
    expect((await stub.stats()).snapshots).toEqual([5]);
    await evictDurableObject(stub);
    const state = await live(stub);
    expect(state.blobData.length).toBe(5);
    // Compared as booleans: a failing diff of megabytes helps nobody.
    expect(state.blobData.slice(1).every((d) => d === big)).toBe(true);
    expect(state.blobData[0]).toBe(pad);
  });
});

describe("live state and recovered state", () => {
  it("apply sees each event as stored: a Date and an undefined key read the same live and after eviction", async () => {
    const stub = labs.LAB.getByName(`json-${uid()}`);
    await stub.dispatch("note", {});
    const before = await live(stub);
    expect(before.extras).toStrictEqual([{ when: new Date(0).toJSON(), kept: 1 }]);
    await evictDurableObject(stub);
    expect(await live(stub)).toStrictEqual(before);
    expect((await stub.stateAt(1)).state).toStrictEqual(before);
  });
});

describe("events that are not JSON objects with a type", () => {
  it("are refused with a clear error, committing nothing", async () => {
    const stub = labs.LAB.getByName(`untyped-${uid()}`);
    expect(await stub.dispatch("untyped", {}, {}, "u1")).toEqual({ ok: false, code: "action_failed", message: 'Event 0 is not a JSON object with a string "type".' });
    expect((await stub.stats()).seq).toBe(0);
    // Nothing was recorded under the id either: a corrected retry can still run.
    expect(await stub.dispatch("add", { by: 1 }, {}, "u1")).toEqual({ ok: true, seq: 1, duplicate: false });
  });
});

describe("async action handlers", () => {
  it("two concurrent async actions decide one after the other, each on the state the other left", async () => {
    const stub = labs.LAB.getByName(`async-${uid()}`);
    const results = await Promise.all([stub.dispatch("numbered", { ms: 30 }), stub.dispatch("numbered", { ms: 1 }), stub.dispatch("item", { text: "sync" })]);
    expect(results.map((r) => r.ok && r.seq).sort()).toEqual([1, 2, 3]);
    const items = (await live(stub)).items;
    expect(items.filter((i) => i.startsWith("#")).sort()).toEqual(["#1", "#2"]);
    expect(items).toHaveLength(3);
  });

  it("a failing async handler releases the lane for the next action", async () => {
    const stub = labs.LAB.getByName(`async-fail-${uid()}`);
    const [bad, good] = await Promise.all([stub.dispatch("slowRefuse", {}), stub.dispatch("numbered", { ms: 1 })]);
    expect(bad).toEqual({ ok: false, code: "action_failed", message: "Refused after a wait." });
    expect(good).toEqual({ ok: true, seq: 1, duplicate: false });
  });
});

describe("the idempotency table", () => {
  it("forgets ids older than the TTL on its own schedule, with no snapshot ever taken", async () => {
    const stub = labs.SHORT_IDS_LAB.getByName(`prune-${uid()}`);
    expect(await stub.dispatch("noop", {}, {}, "old-1")).toEqual({ ok: true, seq: 0, duplicate: false });
    expect(await stub.dispatch("noop", {}, {}, "old-1")).toEqual({ ok: true, seq: 0, duplicate: true });
    await sleep(80);
    for (let i = 0; i < 70; i++) await stub.dispatch("noop", {}, {}, `new-${i}`);
    const ids = await runInDurableObject(stub, (_lab, state) => state.storage.sql.exec<{ id: string }>("SELECT id FROM _stratus_actions").toArray().map((r) => r.id));
    expect(ids.some((id) => id.endsWith("old-1"))).toBe(false);
    expect(ids.some((id) => id.endsWith("new-69"))).toBe(true);
    expect((await stub.stats()).snapshots).toEqual([]);
    expect(await stub.dispatch("noop", {}, {}, "old-1")).toEqual({ ok: true, seq: 0, duplicate: false });
  });
});
