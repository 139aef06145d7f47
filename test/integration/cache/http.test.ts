import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Application } from "../../../worker/app/application";
import { defineModule } from "../../../worker/app/module";
import { cacheControl } from "../../../worker/cache/http/cache-control";
import { etag } from "../../../worker/cache/http/etag";
import { responseCache } from "../../../worker/cache/http/response-cache";
import { cacheProvider } from "../../../worker/cache/provider";
import { CACHE_MANAGER } from "../../../worker/cache/tokens";

function fixture() {
  const hits = { data: 0, lang: 0, cookie: 0, err: 0, bin: 0 };
  const app = new Application({
    modules: [
      defineModule({
        name: "fixture",
        providers: [cacheProvider],
        routes(r) {
          r.get("/data", () => ({ n: ++hits.data, fixed: "body" }), { middleware: [etag(), cacheControl({ visibility: "public", maxAge: 60, staleWhileRevalidate: 30 })] });
          r.get("/same", () => ({ same: true }), { middleware: [etag()] });
          r.get("/cached", () => ({ n: ++hits.data }), { middleware: [etag(), responseCache({ ttl: 60, tags: ["data"] })] });
          r.get("/lang", (c) => ({ n: ++hits.lang, lang: c.request.headers.get("accept-language") }), { middleware: [responseCache({ ttl: 60, vary: ["accept-language"] })] });
          r.get("/cookie", () => new Response("hi", { headers: { "set-cookie": "a=b", "content-type": "text/plain" } }), { middleware: [responseCache({ ttl: 60 })] });
          r.get("/private", () => { hits.cookie++; return new Response("mine", { headers: { "cache-control": "private" } }); }, { middleware: [responseCache({ ttl: 60 })] });
          r.get("/err", () => { hits.err++; return new Response("no", { status: 500 }); }, { middleware: [responseCache({ ttl: 60 }), cacheControl({ maxAge: 60 })] });
          r.get("/bin", () => { hits.bin++; return new Response(new Uint8Array([0, 255, 128, 7]), { headers: { "content-type": "application/octet-stream" } }); }, { middleware: [responseCache({ ttl: 60, driver: "memory" })] });
        },
      }),
    ],
  });
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`http://example.com${path}`, { method, headers }), { ...env, CACHE_PREFIX: `h${crypto.randomUUID().slice(0, 6)}:` } as Cloudflare.Env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
  return { app, hits, get };
}

describe("etag", () => {
  it("adds a strong ETag and answers a matching If-None-Match with an empty 304", async () => {
    const { get } = fixture();
    const first = await get("/same");
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[A-Za-z0-9+/]+"$/);
    expect((await get("/same")).headers.get("etag")).toBe(tag);
    const not = await get("/same", { "if-none-match": tag! });
    expect(not.status).toBe(304);
    expect(await not.text()).toBe("");
    expect(not.headers.get("etag")).toBe(tag);
    expect((await get("/same", { "if-none-match": `"other", W/${tag}` })).status).toBe(304);
    expect((await get("/same", { "if-none-match": "*" })).status).toBe(304);
    const changed = await get("/same", { "if-none-match": '"stale"' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ same: true });
  });
});

describe("cacheControl", () => {
  it("sets Cache-Control from the route's options on success and keeps it on 304", async () => {
    const { get } = fixture();
    const res = await get("/data");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=30");
    const again = await get("/data", { "if-none-match": "*" });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=30");
  });

  it("leaves error responses without it", async () => {
    const { get } = fixture();
    expect((await get("/err")).headers.get("cache-control")).toBeNull();
  });
});

describe("responseCache", () => {
  it("serves GETs from cache (HIT) with the ETag stored at MISS time, and honours 304", async () => {
    const { get, hits } = fixture();
    const miss = await get("/cached");
    expect(miss.headers.get("x-cache")).toBe("MISS");
    const body = await miss.json();
    const hit = await get("/cached");
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(await hit.json()).toEqual(body);
    expect(hits.data).toBe(1);
    expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
    expect((await get("/cached", { "if-none-match": miss.headers.get("etag")! })).status).toBe(304);
    const head = await get("/cached", {}, "HEAD");
    expect(head.headers.get("x-cache")).toBe("HIT");
    expect(await head.text()).toBe("");
  });

  it("keys on the URL and the chosen headers, and says so in Vary", async () => {
    const { get, hits } = fixture();
    const en = await get("/lang", { "accept-language": "en" });
    const fr = await get("/lang", { "accept-language": "fr" });
    expect(await fr.json()).toMatchObject({ lang: "fr" });
    expect(await en.json()).toMatchObject({ lang: "en" });
    expect((await get("/lang", { "accept-language": "en" })).headers.get("x-cache")).toBe("HIT");
    expect((await get("/lang?x=1", { "accept-language": "en" })).headers.get("x-cache")).toBe("MISS");
    expect(hits.lang).toBe(3);
    expect(en.headers.get("vary")).toBe("accept-language");
  });

  it("a tag flush drops cached responses", async () => {
    const { get, hits, app } = fixture();
    await get("/cached");
    await app.container.resolve(CACHE_MANAGER).store().tags(["data"]).flush();
    expect((await get("/cached")).headers.get("x-cache")).toBe("MISS");
    expect(hits.data).toBe(2);
  });

  it("never stores Set-Cookie, private or error responses, and bypasses requests with credentials", async () => {
    const { get, hits } = fixture();
    for (let i = 0; i < 2; i++) {
      expect((await get("/cookie")).headers.get("x-cache")).toBeNull();
      await get("/private");
      await get("/err");
    }
    expect(hits.cookie).toBe(2);
    expect(hits.err).toBe(2);
    await get("/cached");
    const authed = await get("/cached", { authorization: "Bearer x" });
    expect(authed.headers.get("x-cache")).toBeNull();
    expect(hits.data).toBe(2);
  });

  it("round-trips binary bodies", async () => {
    const { get, hits } = fixture();
    await get("/bin");
    const hit = await get("/bin");
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect([...new Uint8Array(await hit.arrayBuffer())]).toEqual([0, 255, 128, 7]);
    expect(hits.bin).toBe(1);
  });
});
