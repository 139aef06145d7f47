import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BroadcastEvent } from "../../durable-objects/dispatch-result";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";
import { TopicInbox } from "../../durable-objects/cluster/topic-inbox";
import { TopicLog } from "../../durable-objects/cluster/topic-log";

const ev = (n: number): BroadcastEvent => ({ id: `e${n}`, name: "chaos", payload: n, at: n });
const turn = () => new Promise((r) => setTimeout(r, 0));

// The registry's log and a subscriber's inbox over real SQLite (an object's storage), with the network between them played by the test.
describe("a topic's chain between registry and subscriber", () => {
  it("applies every entry once, in order, through lost, doubled and reordered pushes, a subscriber and a registry restart, a lost tail and a reset log", async () => {
    await runInDurableObject(env.TOPICS.getByName("chain-unit"), async (_o, state) => {
      const sql = state.storage.sql;
      const sub = "CLUSTER_LAB||chain";
      let log = new TopicLog(sql);
      const pushed = (n: number): SeqFrame => log.append({ topic: "chaos.a", event: ev(n) }, [sub]).frames.get(sub)!;
      const applied: string[] = [];
      let fetches = 0;
      const source = { topicFrames: async (s: string, from: number | undefined, epoch?: string) => (fetches++, log.frames(s, from, epoch)) };
      const inbox = () => new TopicInbox(sql, () => source, async (e) => (applied.push(e.id), { ok: true as const, seq: 0, duplicate: false }));
      const settle = async (i: TopicInbox) => {
        for (let k = 0; k < 4; k++) await turn();
        await i.settled("chaos");
      };

      // Six entries; the subscriber gets 2 twice and 4 early, 1, 3, 5 and 6 are lost: one fetch brings the chain.
      const f = [1, 2, 3, 4, 5, 6].map(pushed);
      let a = inbox();
      a.receive("chaos", sub, [f[1]!, f[1]!, f[3]!]);
      await settle(a);
      expect(applied).toEqual(["e1", "e2", "e3", "e4", "e5", "e6"]);
      expect(fetches).toBe(1);
      a.receive("chaos", sub, [f[5]!, f[0]!, f[2]!]); // late copies
      await settle(a);
      expect(applied).toHaveLength(6);
      expect(a.cursor("chaos")).toMatchObject({ seq: 6 });

      // The subscriber restarts (a new inbox over its SQLite): its cursor drops what it applied.
      a = inbox();
      a.receive("chaos", sub, [f[4]!, f[5]!]);
      await settle(a);
      expect(applied).toHaveLength(6);

      // The registry restarts (a new log over its SQLite): it continues the chain; 7 is lost, 8 exposes it.
      log = new TopicLog(sql);
      const f7 = pushed(7);
      const f8 = pushed(8);
      a.receive("chaos", sub, [f8]);
      await settle(a);
      expect(applied.slice(6)).toEqual(["e7", "e8"]);
      expect(f7.from).toBe(6);
      // A lost tail: 9 never arrives; the registry's announce after the burst brings it.
      pushed(9);
      a.announce("chaos", sub, log.epoch, 9);
      await settle(a);
      expect(applied.slice(8)).toEqual(["e9"]);

      // The registry's storage is lost: a new epoch, a new chain; the subscriber resets to it and misses nothing after it.
      const oldEpoch = log.epoch;
      for (const t of ["_stratus_topic_meta", "_stratus_topic_log", "_stratus_topic_out", "_stratus_topic_cursor"]) sql.exec(`DELETE FROM ${t}`);
      log = new TopicLog(sql);
      expect(log.epoch).not.toBe(oldEpoch);
      a.receive("chaos", sub, [pushed(10)]);
      await settle(a);
      expect(applied).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10"]);
      expect(a.cursor("chaos")).toEqual({ epoch: log.epoch, seq: 1 });
    });
  });

  it("answers a subscriber further behind than the bounded log with a chain start at what it still holds", async () => {
    await runInDurableObject(env.TOPICS.getByName("chain-bound"), async (_o, state) => {
      const log = new TopicLog(state.storage.sql, 10);
      const sub = "CLUSTER_LAB||bound";
      for (let n = 1; n <= 25; n++) log.append({ topic: "b.x", event: ev(n) }, [sub]);
      // It keeps the last 10 (trimmed in batches of a tenth of the bound: here every append).
      const answer = log.frames(sub, 3);
      expect(answer[0]).toMatchObject({ seq: 15, text: "" });
      expect(answer[0]!.from).toBeUndefined();
      expect(answer.slice(1).map((f) => [f.from, f.seq])).toEqual(Array.from({ length: 10 }, (_, i) => [15 + i, 16 + i]));
      // From a point it holds, exactly the chain.
      expect(log.frames(sub, 20).map((f) => f.seq)).toEqual([21, 22, 23, 24, 25]);
      expect(log.frames(sub, 25)).toEqual([]);
    });
  });
});
