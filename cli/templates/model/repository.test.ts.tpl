import { env } from "cloudflare:workers";
import { createDatabase } from "stratus/db";
import { describe, expect, it } from "vitest";
import { {{repository}} } from "../../app/db/repositories/{{kebab}}";

describe("{{repository}}", () => {
  it("creates a row and finds it by id", async () => {
    const repo = new {{repository}}(createDatabase(env.DB));
    const created = await repo.create({ name: "first" });
    expect(await repo.find(created.id)).toMatchObject({ id: created.id, name: "first" });
    expect(await repo.count()).toBe(1);
  });
});
