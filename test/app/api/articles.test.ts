import { describe, expect, it } from "vitest";
import { call, created, unique, type Problem } from "../support";

interface User { id: string }
interface Article { id: string; authorId: string; title: string; slug: string; body: string; tags: string[]; publishedAt: string | null }

async function author(): Promise<User> {
  return created<User>("/api/users", { email: `${unique("author")}@example.com`, name: "Author" });
}

function article(authorId: string, extra: Record<string, unknown> = {}) {
  return { authorId, title: "Hello", slug: unique("hello"), body: "Body", ...extra };
}

describe("/api/articles", () => {
  it("creates, reads, updates and deletes an article", async () => {
    const a = await author();
    const res = await call("POST", "/api/articles", article(a.id, { tags: ["edge", "d1"], publishedAt: "2026-01-02T03:04:05.000Z" }));
    expect(res.status).toBe(201);
    const art = await res.json<Article>();
    expect(art).toMatchObject({ authorId: a.id, tags: ["edge", "d1"], publishedAt: "2026-01-02T03:04:05.000Z" });

    expect(await (await call("GET", `/api/articles/${art.id}`)).json()).toEqual(art);
    const patched = await call("PATCH", `/api/articles/${art.id}`, { title: "Changed", publishedAt: null });
    expect(await patched.json<Article>()).toMatchObject({ title: "Changed", publishedAt: null });
    // The cached read was flushed by the update.
    expect(await (await call("GET", `/api/articles/${art.id}`)).json<Article>()).toMatchObject({ title: "Changed" });

    expect((await call("DELETE", `/api/articles/${art.id}`)).status).toBe(204);
    expect((await call("GET", `/api/articles/${art.id}`)).status).toBe(404);
  });

  it("answers 422 naming authorId when the author does not exist", async () => {
    const res = await call("POST", "/api/articles", article("no-such-user"));
    expect(res.status).toBe(422);
    const p = await res.json<Problem>();
    expect(p.kind).toBe("foreign-key");
    expect(p.errors).toEqual([expect.objectContaining({ path: "/authorId" })]);
  });

  it("answers 409 naming slug for a duplicate slug", async () => {
    const a = await author();
    const first = await created<Article>("/api/articles", article(a.id));
    const res = await call("POST", "/api/articles", article(a.id, { slug: first.slug }));
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).errors?.[0]?.path).toBe("/slug");
  });

  it("answers 409 when deleting an author who still has articles", async () => {
    const a = await author();
    await created("/api/articles", article(a.id));
    const res = await call("DELETE", `/api/users/${a.id}`);
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).kind).toBe("foreign-key");
    expect((await call("GET", `/api/users/${a.id}`)).status).toBe(200);
  });

  it("answers 422 for an invalid slug and an unknown field", async () => {
    const a = await author();
    const res = await call("POST", "/api/articles", article(a.id, { slug: "Not A Slug", color: "red" }));
    expect(res.status).toBe(422);
    const paths = (await res.json<Problem>()).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["/slug"]));
  });

  it("filters the list by author, tag and published state", async () => {
    const a = await author();
    const b = await author();
    await created("/api/articles", article(a.id, { tags: ["x"], publishedAt: "2026-01-01T00:00:00Z" }));
    await created("/api/articles", article(a.id, { tags: ["y"] }));
    await created("/api/articles", article(b.id, { tags: ["x", "y"], publishedAt: "2026-02-01T00:00:00Z" }));
    const list = async (q: string) => (await (await call("GET", `/api/articles?${q}`)).json<{ data: Article[] }>()).data;
    expect((await list(`author=${a.id}`)).length).toBe(2);
    expect((await list(`author=${a.id}&tag=x`)).map((x) => x.tags)).toEqual([["x"]]);
    const published = await list("published=true&limit=100");
    expect(published.every((x) => x.publishedAt !== null)).toBe(true);
    const times = published.map((x) => Date.parse(x.publishedAt!));
    expect(times).toEqual([...times].sort((p, q) => q - p));
  });
});
