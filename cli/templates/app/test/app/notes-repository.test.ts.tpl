import { env } from "cloudflare:workers";
import { createDatabase } from "stratus/db";
import { describe, expect, it } from "vitest";
import { NoteRepository } from "../../app/db/repositories/notes";

describe("NoteRepository", () => {
  it("stores notes and lists the newest first", async () => {
    const notes = new NoteRepository(createDatabase(env.DB));
    await notes.create({ text: "first", createdAt: new Date(1_000) });
    await notes.create({ text: "second", createdAt: new Date(2_000) });
    expect((await notes.latest(10)).map((n) => n.text)).toEqual(["second", "first"]);
  });
});
