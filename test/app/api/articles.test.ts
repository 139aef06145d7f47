import { describe, expect, it } from "vitest";
import { as, call, created, seedUser, unique, type Problem } from "../support";

interface Article { id: string; authorId: string; title: string; slug: string; body: string; tags: string[]; publishedAt: string | null }

function article(extra: Record<string, unknown> = {}) {
  return { title: "Hello", slug: unique("hello"), body: "Body", ...extra };
}

describe("/api/articles", () => {
  it("creates, reads, updates and deletes an article; the author is the caller", async () => {
    const a = await seedUser();
    const headers = await as(a);
    const res = await call("POST", "/api/articles", article({ tags: ["edge", "d1"], publishedAt: "2026-01-02T03:04:05.000Z" }), headers);
    expect(res.status).toBe(201);
    const art = await res.json<Article>();
    expect(art).toMatchObject({ authorId: a.id, tags: ["edge", "d1"], publishedAt: "2026-01-02T03:04:05.000Z" });

    expect(await (await call("GET", `/api/articles/${art.id}`)).json()).toEqual(art);
    const patched = await call("PATCH", `/api/articles/${art.id}`, { title: "Changed", publishedAt: null }, headers);
    expect(await patched.json<Article>()).toMatchObject({ title: "Changed", publishedAt: null });
    // The cached read was flushed by the update.
    expect(await (await call("GET", `/api/articles/${art.id}`)).json<Article>()).toMatchObject({ title: "Changed" });

    expect((await call("DELETE", `/api/articles/${art.id}`, undefined, headers)).status).toBe(204);
    expect((await call("GET", `/api/articles/${art.id}`)).status).toBe(404);
  });

  it("reads are public; writes without a user are a 401 problem", async () => {
    const a = await seedUser();
    const art = await created<Article>("/api/articles", article(), await as(a));
    expect((await call("GET", `/api/articles/${art.id}`)).status).toBe(200);
    expect((await call("GET", "/api/articles")).status).toBe(200);
    for (const [method, path, body] of [["POST", "/api/articles", article()], ["PATCH", `/api/articles/${art.id}`, { title: "X" }], ["DELETE", `/api/articles/${art.id}`, undefined]] as const) {
      const res = await call(method, path, body);
      expect(res.status, method).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json<Problem>()).type).toBe("https://stratus.dev/problems/unauthenticated");
    }
  });

  it("refuses an authorId in the body: the author is never a body field", async () => {
    const a = await seedUser();
    const other = await seedUser();
    const res = await call("POST", "/api/articles", article({ authorId: other.id }), await as(a));
    expect(res.status).toBe(422);
    expect((await res.json<Problem>()).errors?.map((e) => e.path)).toContain("/authorId");
  });

  it("another member may not change or delete an article (403); an editor and an admin may", async () => {
    const a = await seedUser();
    const art = await created<Article>("/api/articles", article(), await as(a));
    const intruder = await as(await seedUser());
    const patch = await call("PATCH", `/api/articles/${art.id}`, { title: "Mine now" }, intruder);
    expect(patch.status).toBe(403);
    expect(await patch.json<Problem>()).toMatchObject({ type: "https://stratus.dev/problems/forbidden", status: 403 });
    expect((await call("DELETE", `/api/articles/${art.id}`, undefined, intruder)).status).toBe(403);
    expect((await call("PATCH", `/api/articles/${art.id}`, { title: "Edited" }, await as(await seedUser("editor")))).status).toBe(200);
    expect((await call("PATCH", `/api/articles/${art.id}`, { title: "Admin" }, await as(await seedUser("admin")))).status).toBe(200);
  });

  it("a 404 comes before a 403 for a missing article", async () => {
    expect((await call("PATCH", "/api/articles/nope", { title: "X" }, await as(await seedUser()))).status).toBe(404);
  });

  it("API tokens: articles:write lets a token write; another ability is a 403 insufficient ability", async () => {
    const a = await seedUser();
    const writer = await as(a, { via: "token", abilities: ["articles:write"] });
    const art = await created<Article>("/api/articles", article(), writer);
    expect(art.authorId).toBe(a.id);
    const profileOnly = await as(a, { via: "token", abilities: ["profile:write"] });
    for (const [method, path] of [["POST", "/api/articles"], ["PATCH", `/api/articles/${art.id}`], ["DELETE", `/api/articles/${art.id}`]] as const) {
      const res = await call(method, path, method === "POST" ? article() : method === "PATCH" ? { title: "T" } : undefined, profileOnly);
      expect(res.status, method).toBe(403);
      expect(await res.json<Problem>(), method).toMatchObject({ type: "https://stratus.dev/problems/insufficient-ability", ability: "articles:write" });
    }
  });

  it("answers 409 naming slug for a duplicate slug", async () => {
    const headers = await as(await seedUser());
    const first = await created<Article>("/api/articles", article(), headers);
    const res = await call("POST", "/api/articles", article({ slug: first.slug }), headers);
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).errors?.[0]?.path).toBe("/slug");
  });

  it("answers 409 when deleting an author who still has articles", async () => {
    const a = await seedUser();
    await created("/api/articles", article(), await as(a));
    const res = await call("DELETE", `/api/users/${a.id}`, undefined, await as(a));
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).kind).toBe("foreign-key");
    expect((await call("GET", `/api/users/${a.id}`)).status).toBe(200);
  });

  it("answers 422 for an invalid slug and an unknown field", async () => {
    const res = await call("POST", "/api/articles", article({ slug: "Not A Slug", color: "red" }), await as(await seedUser()));
    expect(res.status).toBe(422);
    const paths = (await res.json<Problem>()).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["/slug"]));
  });

  it("filters the list by author, tag and published state", async () => {
    const a = await seedUser();
    const b = await seedUser();
    await created("/api/articles", article({ tags: ["x"], publishedAt: "2026-01-01T00:00:00Z" }), await as(a));
    await created("/api/articles", article({ tags: ["y"] }), await as(a));
    await created("/api/articles", article({ tags: ["x", "y"], publishedAt: "2026-02-01T00:00:00Z" }), await as(b));
    const list = async (q: string) => (await (await call("GET", `/api/articles?${q}`)).json<{ data: Article[] }>()).data;
    expect((await list(`author=${a.id}`)).length).toBe(2);
    expect((await list(`author=${a.id}&tag=x`)).map((x) => x.tags)).toEqual([["x"]]);
    const published = await list("published=true&limit=100");
    expect(published.every((x) => x.publishedAt !== null)).toBe(true);
    const times = published.map((x) => Date.parse(x.publishedAt!));
    expect(times).toEqual([...times].sort((p, q) => q - p));
  });
});
