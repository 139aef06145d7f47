import { describe, expect, it } from "vitest";
import { atomic } from "../../../worker/db/batch";
import { TransactionsUnsupportedError } from "../../../worker/db/database";
import { ConstraintViolationError } from "../../../worker/db/errors";
import { users } from "../../fixtures/schema";
import { RecordNotFoundError } from "../../../worker/db/data-errors";
import { dataErrorToHttp } from "../../../worker/db/problems";
import { Repository } from "../../../worker/db/repository";
import { email, repos } from "../../support/db";

describe("Repository", () => {
  const { db, users: repo, articles } = repos();

  it("create returns the row with defaults; find and findOrFail read it", async () => {
    const u = await repo.create({ email: email(), name: "Grace" });
    expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(u.createdAt).toBeInstanceOf(Date);
    expect(await repo.find(u.id)).toEqual(u);
    expect(await repo.findOrFail(u.id)).toEqual(u);
    expect(await repo.find("missing")).toBeUndefined();
    await expect(repo.findOrFail("missing")).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it("findMany filters with values and operators, orders, limits and offsets", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const made = [];
    for (const [i, name] of ["a", "b", "c", "d"].entries()) {
      made.push(await repo.create({ email: `${tag}-${name}@example.com`, name: `${tag}-${name}`, bio: i % 2 ? null : "bio" }));
    }
    const like = { email: { like: `${tag}-%` } };
    expect((await repo.findMany({ where: like, orderBy: { column: "name", direction: "desc" } })).map((u) => u.name)).toEqual(
      ["d", "c", "b", "a"].map((x) => `${tag}-${x}`),
    );
    expect((await repo.findMany({ where: { ...like, bio: null } })).map((u) => u.name).sort()).toEqual([`${tag}-b`, `${tag}-d`]);
    expect((await repo.findMany({ where: { ...like, bio: { isNull: false } } })).length).toBe(2);
    expect((await repo.findMany({ where: { name: { in: [`${tag}-a`, `${tag}-c`] } } })).length).toBe(2);
    expect((await repo.findMany({ where: { name: { in: [] } } })).length).toBe(0);
    expect((await repo.findMany({ where: { ...like, name: { gt: `${tag}-b`, lte: `${tag}-d` } } })).length).toBe(2);
    expect((await repo.findMany({ where: { ...like, name: { gte: `${tag}-b`, lt: `${tag}-d` } } })).length).toBe(2);
    const paged = await repo.findMany({ where: like, orderBy: { column: "name" }, limit: 2, offset: 1 });
    expect(paged.map((u) => u.name)).toEqual([`${tag}-b`, `${tag}-c`]);
    expect(await repo.findBy({ email: made[2]!.email })).toEqual(made[2]);
    expect(await repo.count(like)).toBe(4);
    expect(await repo.count({ ...like, name: { ne: `${tag}-a` } })).toBe(3);
  });

  it("findMany without orderBy uses the repository's defaultOrder", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    // Inserted out of name order so that neither insertion nor id order gives the expected list by chance.
    for (const x of ["b", "d", "a", "c"]) await repo.create({ email: `${tag}-${x}@example.com`, name: `${tag}-${x}` });
    const byNameDesc = new Repository(db, users, { defaultOrder: { column: "name", direction: "desc" } });
    const like = { email: { like: `${tag}-%` } };
    expect((await byNameDesc.findMany({ where: like })).map((u) => u.name)).toEqual(["d", "c", "b", "a"].map((x) => `${tag}-${x}`));
    expect((await byNameDesc.findMany({ where: like, orderBy: { column: "name" } })).map((u) => u.name)).toEqual(["a", "b", "c", "d"].map((x) => `${tag}-${x}`));
    const ids = (await new Repository(db, users).findMany({ where: like })).map((u) => u.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("rejects a filter on a column that does not exist", async () => {
    await expect(repo.findMany({ where: { nope: 1 } as never })).rejects.toThrow(/Unknown column "nope"/);
  });

  it("update changes fields and bumps updatedAt; missing rows are 404", async () => {
    const u = await repo.create({ email: email(), name: "Old", createdAt: new Date(1000), updatedAt: new Date(1000) });
    const up = await repo.update(u.id, { name: "New" });
    expect(up.name).toBe("New");
    expect(up.updatedAt.getTime()).toBeGreaterThan(1000);
    expect(up.createdAt.getTime()).toBe(1000);
    expect(await repo.update(u.id, {})).toEqual(up);
    await expect(repo.update("missing", { name: "x" })).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it("delete removes the row; a second delete is 404", async () => {
    const u = await repo.create({ email: email(), name: "Gone" });
    await repo.delete(u.id);
    expect(await repo.find(u.id)).toBeUndefined();
    await expect(repo.delete(u.id)).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it("upsert inserts, then updates on the unique target", async () => {
    const e = email();
    const first = await repo.upsert({ email: e, name: "First" }, { target: ["email"] });
    const second = await repo.upsert({ email: e, name: "Second", bio: "b" }, { target: ["email"] });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ name: "Second", bio: "b" });
    expect(await repo.count({ email: e })).toBe(1);
    const third = await repo.upsert({ email: e, name: "Ignored" }, { target: ["email"], update: [] });
    expect(third.name).toBe("Second");
  });

  it("createMany chunks rows under 100 bound parameters and inserts them all", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    // 7 columns -> 14 rows per statement; 250 rows is 18 statements in one batch.
    const rows = Array.from({ length: 250 }, (_, i) => ({ email: `${tag}-${i}@example.com`, name: `bulk ${i}` }));
    const out = await repo.createMany(rows);
    expect(out).toHaveLength(250);
    expect(await repo.count({ email: { like: `${tag}-%` } })).toBe(250);
    expect(await repo.createMany([])).toEqual([]);
  });

  it("createMany is atomic: a duplicate in the last chunk keeps none of the rows", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const rows = Array.from({ length: 40 }, (_, i) => ({ email: `${tag}-${i}@example.com`, name: `r ${i}` }));
    rows.push({ email: `${tag}-0@example.com`, name: "dup" });
    const err = await repo.createMany(rows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConstraintViolationError);
    expect(dataErrorToHttp(err)!.status).toBe(409);
    expect(await repo.count({ email: { like: `${tag}-%` } })).toBe(0);
  });

  it("atomic batch rolls back every statement when one fails", async () => {
    const keep = email();
    const err = await atomic(db, [
      db.insert(users).values({ email: keep, name: "Batch" }),
      db.insert(users).values({ email: "no-at-sign", name: "Broken" }),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConstraintViolationError);
    expect(dataErrorToHttp(err)!.status).toBe(422);
    expect(await repo.findByEmail(keep)).toBeUndefined();
    const ok = await atomic(db, [db.insert(users).values({ email: keep, name: "Batch" }), db.select().from(users)]);
    expect(ok[1].some((u) => u.email === keep)).toBe(true);
  });

  it("does not offer interactive transactions", async () => {
    const asAny = db as unknown as { transaction(fn: () => Promise<void>): Promise<void> };
    await expect(asAny.transaction(async () => {})).rejects.toBeInstanceOf(TransactionsUnsupportedError);
  });

  it("maps each constraint failure to a problem naming the field", async () => {
    const u = await repo.create({ email: email(), name: "C" });
    const cases: [() => Promise<unknown>, number, string, string][] = [
      [() => repo.create({ email: u.email, name: "dup" }), 409, "unique", "/email"],
      [() => repo.create({ email: "bad", name: "x" }), 422, "check", "/email"],
      [() => repo.create({ email: email(), name: "   " }), 422, "check", "/name"],
      [() => repo.create({ email: email(), name: null as unknown as string }), 422, "not-null", "/name"],
      [() => articles.create({ authorId: "ghost", title: "t", slug: "s-ghost", body: "b" }), 422, "foreign-key", "/authorId"],
      [() => articles.create({ authorId: u.id, title: "t", slug: "Bad Slug", body: "b" }), 422, "check", "/slug"],
      [() => articles.create({ authorId: u.id, title: "t", slug: "ok-slug", body: "b", tags: "nope" as unknown as string[] }), 422, "check", "/tags"],
    ];
    for (const [run, status, kind, path] of cases) {
      const err = await run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConstraintViolationError);
      const c = err as ConstraintViolationError;
      const problem = dataErrorToHttp(c)!;
      expect([problem.status, c.kind, problem.toProblem().errors]).toEqual([status, kind, [expect.objectContaining({ path })]]);
    }
    await articles.create({ authorId: u.id, title: "t", slug: `s-${u.id}`, body: "b" });
    const del = await repo.delete(u.id).catch((e: unknown) => e);
    expect(del).toBeInstanceOf(ConstraintViolationError);
    expect(dataErrorToHttp(del)!.status).toBe(409);
  });
});
