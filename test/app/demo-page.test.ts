import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyMountToken } from "stratus/testing";
import { mountElement } from "stratus/html";

const APP_KEY = "test-app-key-0123456789abcdef0123456789abcdef";

async function mountOf(path: string) {
  const res = await exports.default.fetch(`http://localhost:8787${path}`);
  const body = await res.text();
  const m = /<div data-live="([^"]+)" data-live-key="([^"]+)" data-live-token="([^"]+)" data-live-seq="(\d+)" data-live-epoch="([^"]+)" data-live-rid="([^"]+)" data-live-state="connecting" id="mount-0" class="demo-mount">([\s\S]*?)<\/div><\/body>/.exec(body);
  return { res, body, m };
}

describe("live mounts in pages", () => {
  it("server-renders the component's current HTML with a signed mount token", async () => {
    const key = "page-a";
    const stub = env.DEMO.getByName(key);
    await stub.dispatch("increment", { by: 3 });
    await stub.dispatch("add", { text: "<b>hi</b>" });
    const { res, body, m } = await mountOf(`/demo/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(body).toContain('<script src="/stratus/client.js" defer></script>');
    expect(m, body).not.toBeNull();
    const [, component, mountKey, token, seq, epoch, rid, inner] = m!;
    expect([component, mountKey, seq]).toEqual(["demo", key, "2"]);
    // What the client sends back in its hello: the embedded render's epoch and render identity.
    const frame = await stub.currentRender();
    expect([epoch, rid]).toEqual([frame.epoch, frame.rid]);
    expect(await verifyMountToken(APP_KEY, token!, { component: "demo", key })).toMatchObject({ c: "demo", k: key });
    expect(inner).toContain('<output id="count">3</output>');
    expect(inner).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(inner).not.toContain("<b>hi</b>");
  });

  it("mounts any key, escaped in the mount element", async () => {
    const { res, m } = await mountOf("/demo/%22%3E%3Cscript%3E");
    expect(res.status).toBe(200);
    expect(m![2]).toBe("&quot;&gt;&lt;script&gt;");
  });

  it("rejects attributes that would collide with the runtime or run script", () => {
    for (const attr of ["data-live", "data-live-token", "onclick", "bad name"]) {
      expect(() => mountElement({ name: "x", key: "k", token: "t", seq: 0, inner: "", props: { attrs: { [attr]: "1" } } })).toThrow(/cannot be set/);
    }
    expect(mountElement({ name: 'x"', key: "<k>", token: "t", seq: 1, inner: "<p>i</p>", props: { tag: "section", attrs: { class: 'a"b', hidden: true, inert: false } } }).value).toBe(
      '<section data-live="x&quot;" data-live-key="&lt;k&gt;" data-live-token="t" data-live-seq="1" data-live-state="connecting" class="a&quot;b" hidden><p>i</p></section>',
    );
  });

  it("recovers the state after a debug eviction", async () => {
    const key = "evict-me";
    const stub = env.DEMO.getByName(key);
    await stub.dispatch("increment", { by: 7 });
    const res = await exports.default.fetch(`http://localhost:8787/__debug/evict/demo/${key}`, { method: "POST" });
    expect(res.status).toBe(200);
    const { m } = await mountOf(`/demo/${key}`);
    expect(m![7]).toContain('<output id="count">7</output>');
    expect(m![4]).toBe("1");
  });
});
