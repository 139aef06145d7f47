import { env, exports } from "cloudflare:workers";
import { connectLive } from "stratus/testing";
import { describe, expect, it } from "vitest";

const draftOf = (html: string) => /<input id="draft" name="text" value="([^"]*)"/.exec(html)?.[1];
const errorOf = (html: string) => /<span class="error" id="draft-error">([^<]*)<\/span>/.exec(html)?.[1];

// The demo keeps each viewer's draft as viewer state: two viewers type at once without seeing each other's text.
describe("Demo drafts are per viewer", () => {
  it("binds, validates and submits each viewer's own draft", async () => {
    const secret = env.APP_KEY;
    const a = await connectLive(exports.default, "demo", "drafts", { secret });
    const b = await connectLive(exports.default, "demo", "drafts", { secret });
    await a.hello(undefined, { client: "page-a-0123456789abcdef" });
    await b.hello(undefined, { client: "page-b-0123456789abcdef" });
    a.send({ type: "model", id: "a1", fields: { text: "from a" }, validate: true });
    b.send({ type: "model", id: "b1", fields: { text: "   " }, validate: true });
    await a.until((c) => c.of("ack").some((f) => f.id === "a1"));
    await b.until((c) => c.of("error").some((f) => f.id === "b1"));
    expect(draftOf(a.html())).toBe("from a");
    expect(errorOf(a.html())).toBe("");
    expect(draftOf(b.html())).toBe("   ");
    expect(errorOf(b.html())).toBe("Type something first");
    // a submits its bound draft (no args needed): both see the item, only a's draft clears.
    expect(await a.act("add", {})).toMatchObject({ type: "ack", seq: 1 });
    await b.until((c) => c.html().includes("from a</a></li>"));
    expect(draftOf(a.html())).toBe("");
    expect(draftOf(b.html())).toBe("   ");
    expect(await b.act("add", {})).toMatchObject({ type: "error", code: "invalid_args" });
    a.close();
    b.close();
  });
});
