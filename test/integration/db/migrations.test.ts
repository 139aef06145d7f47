import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as frameworkTables from "../../../worker/db/schema/index";

describe("migrations", () => {
  it("readD1Migrations sees drizzle-kit's flat NNNN_name.sql files, in order", () => {
    const names = env.TEST_MIGRATIONS.map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^\d{4}_[\w-]+\.sql$/.test(n))).toBe(true);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe("0000_init.sql");
    for (const m of env.TEST_MIGRATIONS) expect(m.queries.length).toBeGreaterThan(0);
  });

  it("built this file's fresh database from scratch", async () => {
    const applied = await env.DB.prepare("select name from d1_migrations order by id").all<{ name: string }>();
    expect(applied.results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    const tables = await env.DB.prepare("select name from sqlite_master where type = 'table' and name in ('users', 'articles') order by name").all<{ name: string }>();
    expect(tables.results.map((r) => r.name)).toEqual(["articles", "users"]);
    const indexes = await env.DB.prepare("select name from sqlite_master where type = 'index' and name = 'users_email_unique'").all();
    expect(indexes.results).toHaveLength(1);
  });

  it("the fixture's migrations hold every framework table with every column (the fixture is kept by hand)", async () => {
    const tables: SQLiteTable[] = [];
    for (const value of Object.values(frameworkTables) as unknown[]) if (value instanceof SQLiteTable) tables.push(value);
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const table of tables) {
      const { name, columns } = getTableConfig(table);
      const present = await env.DB.prepare(`select name from pragma_table_info('${name}')`).all<{ name: string }>();
      expect(present.results.map((r) => r.name).sort(), name).toEqual(columns.map((col) => col.name).sort());
    }
  });

  it("re-applying is a no-op", async () => {
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const applied = await env.DB.prepare("select count(*) as n from d1_migrations").first<{ n: number }>();
    expect(applied?.n).toBe(env.TEST_MIGRATIONS.length);
  });

  it("enforces foreign keys", async () => {
    const on = await env.DB.prepare("pragma foreign_keys").first<{ foreign_keys: number }>();
    expect(on?.foreign_keys).toBe(1);
  });
});
