import { describe, expect, it } from "vitest";
import { InvalidCursorError } from "../../../worker/db/cursor";
import { dataErrorToHttp } from "../../../worker/db/problems";
import type { Page } from "../../../worker/db/repository";
import { repos } from "../../support/db";

const { users, articles } = repos();

async function walk<T extends { id: string }>(next: (cursor: string | null) => Promise<Page<T>>, between?: (page: number) => Promise<void>): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const p: Page<T> = await next(cursor);
    seen.push(...p.items);
    if (!p.nextCursor) return seen;
    cursor = p.nextCursor;
    await between?.(page);
  }
  throw new Error("pagination did not end");
}

describe("cursor pagination", () => {
  it("walks every row once in both directions, ties broken by id", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    // Equal createdAt for groups of three: the id tiebreaker must keep the order total.
    const rows = Array.from({ length: 11 }, (_, i) => ({ email: `${tag}-${i}@example.com`, name: `p${i}`, createdAt: new Date(1_000_000 + Math.floor(i / 3)) }));
    await users.createMany(rows);
    const where = { email: { like: `${tag}-%` } };
    for (const direction of ["asc", "desc"] as const) {
      const seen = await walk((cursor) => users.paginate({ where, orderBy: { column: "createdAt", direction }, limit: 4, cursor }));
      expect(seen).toHaveLength(11);
      expect(new Set(seen.map((u) => u.id)).size).toBe(11);
      const keys = seen.map((u) => [u.createdAt.getTime(), u.id] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      expect(keys).toEqual(direction === "asc" ? sorted : sorted.reverse());
    }
  });

  it("stays stable while rows are inserted between pages", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const originals = await users.createMany(
      Array.from({ length: 12 }, (_, i) => ({ email: `${tag}-o${i}@example.com`, name: `o${i}`, createdAt: new Date(2_000_000 + i * 10) })),
    );
    const where = { email: { like: `${tag}-%` } };
    let inserted = 0;
    const seen = await walk(
      (cursor) => users.paginate({ where, orderBy: { column: "createdAt", direction: "asc" }, limit: 3, cursor }),
      async (page) => {
        // One row before everything already read, one among the unread rows, one after the end, plus one racing the next read.
        await users.createMany([
          { email: `${tag}-b${page}@example.com`, name: "before", createdAt: new Date(1_000_000 + page) },
          { email: `${tag}-m${page}@example.com`, name: "middle", createdAt: new Date(2_000_000 + 105 - page * 10) },
          { email: `${tag}-a${page}@example.com`, name: "after", createdAt: new Date(3_000_000 + page) },
        ]);
        void users.create({ email: `${tag}-r${page}@example.com`, name: "race", createdAt: new Date(2_500_000 + page) });
        inserted += 4;
      },
    );
    const ids = seen.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of originals) expect(ids).toContain(o.id);
    expect(seen.some((u) => u.name === "before")).toBe(false);
    expect(inserted).toBeGreaterThan(0);
    const times = seen.map((u) => u.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("handles NULLs in the sort column (drafts have no publishedAt)", async () => {
    const author = await users.create({ email: `${crypto.randomUUID()}@example.com`, name: "A" });
    const tag = crypto.randomUUID().slice(0, 6);
    await articles.createMany(
      Array.from({ length: 9 }, (_, i) => ({
        authorId: author.id,
        title: `t${i}`,
        slug: `${tag}-${i}`,
        body: "b",
        publishedAt: i % 3 === 0 ? null : new Date(5_000_000 + i),
      })),
    );
    const where = { authorId: author.id };
    for (const direction of ["asc", "desc"] as const) {
      const seen = await walk((cursor) => articles.paginate({ where, orderBy: { column: "publishedAt", direction }, limit: 2, cursor }));
      expect(seen).toHaveLength(9);
      expect(new Set(seen.map((a) => a.id)).size).toBe(9);
      const nulls = seen.map((a) => a.publishedAt === null);
      // SQLite: NULLs first ascending, last descending.
      expect(nulls).toEqual(direction === "asc" ? [true, true, true, ...Array(6).fill(false)] : [...Array(6).fill(false), true, true, true]);
    }
  });

  it("caps the page size and ends with a null cursor", async () => {
    const page = await users.paginate({ limit: 10_000 });
    expect(page.items.length).toBeLessThanOrEqual(100);
    const last = await users.paginate({ where: { email: "nobody@example.com" } });
    expect(last).toEqual({ items: [], nextCursor: null });
  });

  it("rejects forged cursors and cursors issued for another ordering", async () => {
    await expect(users.paginate({ cursor: "%%%" })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(users.paginate({ cursor: btoa(JSON.stringify({ a: 1 })) })).rejects.toBeInstanceOf(InvalidCursorError);
    await users.createMany([{ email: `${crypto.randomUUID()}@example.com`, name: "x" }, { email: `${crypto.randomUUID()}@example.com`, name: "y" }]);
    const first = await users.paginate({ orderBy: { column: "createdAt", direction: "desc" }, limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const err = await users.paginate({ orderBy: { column: "name", direction: "asc" }, cursor: first.nextCursor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCursorError);
    expect(dataErrorToHttp(err)!.status).toBe(400);
  });
});
