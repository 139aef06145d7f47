import { and, eq, isNotNull, type SQL } from "drizzle-orm";
import { can, json, validate, type RequestContext, type Router } from "stratus";
import { CACHE } from "stratus/cache";
import { ArticleRepository } from "../db/repositories/articles";
import { articles } from "../db/schema";
import { ARTICLES } from "../db/tokens";
import { createArticle, listArticles, updateArticle } from "./schemas";

/** Cache tag for every cached read of articles; writes flush it. */
export const ARTICLES_TAG = "articles";

function toJson(row: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
}

async function flush(c: RequestContext): Promise<void> {
  await c.resolve(CACHE).tags([ARTICLES_TAG]).flush();
}

/** The article a route acts on, for can()'s policy check (a 404 before any 403). */
const target = (c: RequestContext) => c.resolve(ARTICLES).findOrFail(c.params.id!);

/**
 * /api/articles: create, read (cached, tagged), list (cursor, by author/tag/published), update, delete.
 * Reads are public. Writes need a user whose role (and token, if any) carries `articles:write`; the
 * author is the caller, and only the author, an editor or an admin may change or delete an article.
 */
export function articleRoutes(api: Router): void {
  api.get("/articles", validate({ query: listArticles }, async (c, { query: q }) => {
    const filters: (SQL | undefined)[] = [];
    if (q.author) filters.push(eq(articles.authorId, q.author));
    if (q.tag) filters.push(ArticleRepository.hasTag(q.tag));
    if (q.published === "true") filters.push(isNotNull(articles.publishedAt));
    const orderBy = q.published === "true" ? ({ column: "publishedAt", direction: "desc" } as const) : undefined;
    const page = await c.resolve(ARTICLES).paginate({ where: and(...filters), orderBy, limit: q.limit, cursor: q.cursor ?? null });
    return { data: page.items, nextCursor: page.nextCursor };
  }), { name: "articles.index" });

  api.post("/articles", validate({ body: createArticle }, async (c, { body }) => {
    const article = await c.resolve(ARTICLES).create({ ...body, authorId: c.user!.id });
    await flush(c);
    return json(article, { status: 201, headers: { location: `/api/articles/${encodeURIComponent(article.id)}` } });
  }), { name: "articles.store", middleware: [can("articles:write")] });

  api.get("/articles/:id", (c) => {
    const repo = c.resolve(ARTICLES);
    // Cached as the JSON the client gets (dates as ISO strings), which is what the cache keeps anyway.
    return c.resolve(CACHE).tags([ARTICLES_TAG]).remember(`article:${c.params.id}`, 60, async () => toJson(await repo.findOrFail(c.params.id)));
  }, { name: "articles.show" });

  api.patch("/articles/:id", validate({ body: updateArticle }, async (c, { body }) => {
    const article = await c.resolve(ARTICLES).update(c.params.id!, body);
    await flush(c);
    return article;
  }), { name: "articles.update", middleware: [can("update", target)] });

  api.delete("/articles/:id", async (c) => {
    await c.resolve(ARTICLES).delete(c.params.id);
    await flush(c);
    return null;
  }, { name: "articles.destroy", middleware: [can("delete", target)] });
}
