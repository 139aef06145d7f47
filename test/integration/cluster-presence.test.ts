import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RelayPresenceReport } from "../../durable-objects/cluster/contracts";
import { PresenceReporter } from "../../durable-objects/cluster/presence-reporter";
import { connectDirect, hello, labs } from "../support/live";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A relay as the root sees it: a reporter whose send is the root's RPC. */
function relay(name: string, key: string) {
  const root = labs.CLUSTER_LAB.getByName(key);
  const sent: RelayPresenceReport[] = [];
  const reporter = new PresenceReporter({
    relay: name,
    send: async (r) => {
      sent.push(r);
      const ack = await root.receivePresence(r);
      if (!ack.ok) throw new Error(ack.message);
    },
  });
  return { reporter, sent };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await sleep(20);
  }
}

const shown = (key: string) => async () => {
  const frame = await labs.CLUSTER_LAB.getByName(key).currentRender();
  return JSON.stringify(frame.dynamics);
};

describe("presence across relays (root aggregate)", () => {
  it("counts own sockets plus every relay's viewers, and renders it in one commit per window, not one per join", async () => {
    const key = "presence-sum";
    const root = labs.CLUSTER_LAB.getByName(key);
    const a = relay("relay-a", key);
    const b = relay("relay-b", key);
    for (let i = 0; i < 120; i++) a.reporter.join({ id: `a${i}` });
    for (let i = 0; i < 30; i++) b.reporter.join({ id: `b${i}` });
    await a.reporter.flush();
    await b.reporter.flush();
    const direct = await connectDirect(labs.CLUSTER_LAB, key, "ada");
    await hello(direct);

    expect(await root.watchingNow()).toBe(151);
    const render = await until(shown(key), (t) => t.includes("151"));
    expect(render).toContain("151");
    // 151 joins (and two reports) became at most two "watching" commits: the leading edge and the window's end.
    expect((await root.stats()).seq).toBeLessThanOrEqual(2);
    // The direct socket sees the count as a diff of the normal frame path.
    await direct.until((c) => c.of("diff").some((d) => JSON.stringify(d.changes).includes("151")));
    direct.close();
  });

  it("ignores stale and repeated reports, and refuses a malformed one without harm", async () => {
    const key = "presence-stale";
    const root = labs.CLUSTER_LAB.getByName(key);
    const at = Date.now();
    const newer: RelayPresenceReport = { relay: "r", version: 5, count: 7, joins: [], leaves: [], at };
    const older: RelayPresenceReport = { ...newer, version: 4, count: 99 };
    expect(await root.receivePresence(newer)).toEqual({ ok: true, applied: true, total: 7 });
    expect(await root.receivePresence(older)).toEqual({ ok: true, applied: false, total: 7 });
    expect(await root.receivePresence(newer)).toEqual({ ok: true, applied: false, total: 7 });
    const bad = await root.receivePresence({ ...newer, version: 6, count: -3 });
    expect(bad).toMatchObject({ ok: false, code: "bad_frame", message: expect.stringMatching(/count/) });
    expect(await root.watchingNow()).toBe(7);
  });

  it("converges after relays come and go: a silent relay expires by the root's alarm, a returning one counts again", async () => {
    const key = "presence-churn";
    const root = labs.CLUSTER_LAB.getByName(key);
    const a = relay("relay-a", key);
    const b = relay("relay-b", key);
    for (let i = 0; i < 10; i++) a.reporter.join({ id: `a${i}` });
    for (let i = 0; i < 4; i++) b.reporter.join({ id: `b${i}` });
    await a.reporter.flush();
    await b.reporter.flush();
    await until(shown(key), (t) => t.includes("14"));
    // The expiry task is the framework's own: not in the component's scheduled() list.
    await runInDurableObject(root, (_obj, state) => {
      expect(state.storage.sql.exec("SELECT name FROM _stratus_schedule").toArray()).toEqual([{ name: "__stratus_presence" }]);
    });

    // relay-b dies without a word; relay-a keeps reporting inside the TTL (2 s in this fixture).
    for (let t = 0; t < 5; t++) {
      await sleep(600);
      await a.reporter.flush();
    }
    expect(await root.watchingNow()).toBe(10);
    expect(await until(shown(key), (t) => /\b10\b/.test(t))).toMatch(/\b10\b/);

    // A new incarnation of relay-b (fresh reporter, same name) comes back with 3 viewers.
    const back = relay("relay-b", key);
    for (let i = 0; i < 3; i++) back.reporter.join({ id: `b${i}` });
    await back.reporter.flush();
    expect(await root.watchingNow()).toBe(13);
    expect(await until(shown(key), (t) => /\b13\b/.test(t))).toMatch(/\b13\b/);
  });

  it("expires silent relays on the root's own alarm: the render drops them with nothing else happening", async () => {
    const key = "presence-alarm";
    const direct = await connectDirect(labs.CLUSTER_LAB, key, "ada");
    await hello(direct);
    const a = relay("relay-a", key);
    for (let i = 0; i < 8; i++) a.reporter.join({ id: `a${i}` });
    await a.reporter.flush();
    await direct.until((c) => c.of("diff").some((d) => /\b9\b/.test(JSON.stringify(d.changes))));
    const before = direct.of("diff").length;
    // relay-a goes silent. No report, no read, no action: only the expiry alarm can change the count.
    await direct.until((c) => c.of("diff").slice(before).some((d) => /\b1\b/.test(JSON.stringify(d.changes))), 6000);
    expect(direct.of("diff").slice(before).map((d) => JSON.stringify(d.changes))).toEqual([expect.stringMatching(/\b1\b/)]);
    expect(await labs.CLUSTER_LAB.getByName(key).watchingNow()).toBe(1);
    direct.close();
  });

  it("counts for a component without onWatching too, and commits nothing for it", async () => {
    const key = "presence-silent";
    const root = labs.COUNTER.getByName(key);
    expect(await root.receivePresence({ relay: "r", version: 1, count: 40, joins: [], leaves: [], at: Date.now() })).toEqual({ ok: true, applied: true, total: 40 });
    const direct = await connectDirect(labs.COUNTER, key, "ada");
    await hello(direct);
    expect((await root.stats()).watching).toBe(41);
    // Past the 1.5 s window: no "watching" commit, no frame.
    await sleep(1700);
    expect((await root.stats()).seq).toBe(0);
    expect(direct.of("diff")).toEqual([]);
    direct.close();
  });
});
