import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connectDirect, hello, labs, type Client } from "../support/live";
import { replay } from "../support/replay";

const ns = () => labs.VIEWER_LAB;
const picker = (c: Client) => /<div class="picker"><button data-action="picker:toggle">([^<]*)<\/button>((?:<i>[^<]*<\/i>)*)<b class="picked">([^<]*)<\/b>/.exec(replay(c.frames).html)?.slice(1);
const count = (c: Client) => /<p>(\d+)<\/p>/.exec(replay(c.frames).html)?.[1];

async function open(key: string, client: string): Promise<Client> {
  const c = await connectDirect(ns(), key);
  await hello(c, undefined, client);
  return c;
}

describe("child components inside the parent's object", () => {
  it("get props from the parent's render, keep viewer state per viewer, and send events up", async () => {
    const a = await open("ch1", "client-a-0123456789");
    const b = await open("ch1", "client-b-0123456789");
    expect(picker(a)).toEqual(["open", "", ""]);
    // Parent→child props: the parent's titles are the child's options.
    await b.act("save", { title: "red", qty: 1 }, "s1");
    await a.until((c) => picker(c)?.[1] === "<i>red</i>");
    // The child's own viewer state: only the acting viewer's picker opens.
    expect(await a.act("picker:toggle", {}, "t1")).toMatchObject({ type: "ack", seq: 1 });
    expect(picker(a)![0]).toBe("close");
    expect(picker(b)![0]).toBe("open");
    // Child→parent: picking emits "picked", the parent commits an event everyone sees.
    expect(await a.act("picker:pick", { option: "red" }, "p1")).toMatchObject({ type: "ack", seq: 2 });
    await b.until((c) => count(c) === "10");
    expect(picker(a)).toEqual(["close", "<i>red</i>", "red"]);
    expect(picker(b)).toEqual(["open", "<i>red</i>", ""]);
    a.close();
    b.close();
  });

  it("refuses unknown children and actions, bad args and what the child refuses; works after eviction", async () => {
    const a = await open("ch2", "client-a-0123456789");
    expect(await a.act("nochild:toggle", {}, "u1")).toMatchObject({ code: "unknown_action" });
    expect(await a.act("picker:nope", {}, "u2")).toMatchObject({ code: "unknown_action" });
    expect(await a.act("picker:pick", { option: 3 }, "u3")).toMatchObject({ code: "invalid_args" });
    expect(await a.act("picker:pick", { option: "blue" }, "u4")).toMatchObject({ code: "action_failed", message: "blue is not an option" });
    expect(count(a)).toBe("0");
    a.close();
    await evictDurableObject(ns().getByName("ch2"));
    const again = await open("ch2", "client-a-0123456789");
    expect(await again.act("picker:toggle", {}, "after")).toMatchObject({ type: "ack" });
    expect(picker(again)![0]).toBe("close");
    again.close();
  });
});
