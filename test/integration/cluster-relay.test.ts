import { describe, expect, it } from "vitest";
import { Client, connectViaWorker, hello } from "../support/live";
import { cluster, relay } from "../support/cluster";
import { replay } from "../support/replay";

async function viewer(component: string, key: string): Promise<Client> {
  const res = await connectViaWorker(component, key);
  expect(res.status).toBe(101);
  return new Client(res.webSocket!);
}

describe("relays", () => {
  it("serves the same protocol as the component: render on hello, diff and ack on an action", async () => {
    const a = await viewer("relayed", "r-basic");
    const b = await viewer("relayed", "r-basic");
    await hello(a);
    await hello(b);
    expect(a.frames[0]).toMatchObject({ type: "render", seq: 0 });
    expect(await a.act("add", { by: 2 }, "act-1")).toEqual({ type: "ack", id: "act-1", seq: 1 });
    // The ack rides with the diff that shows it, as from the root.
    expect(a.frames.slice(-2).map((f) => f.type)).toEqual(["diff", "ack"]);
    await b.until((c) => c.of("diff").length === 1);
    expect(b.of("ack")).toHaveLength(0);
    expect(replay(b.frames).html).toBe(replay([await cluster.LAB.getByName("r-basic").currentRender()]).html);
    // Every socket is on the relay, none on the root.
    expect((await cluster.LAB.getByName("r-basic").stats()).sockets).toBe(0);
    expect(await relay("relayed", "r-basic").stats()).toMatchObject({ sockets: 2, viewers: 2, attached: true, head: { seq: 1 } });
    a.close();
    b.close();
  });
});
