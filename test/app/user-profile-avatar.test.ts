// The UserProfile avatar: uploaded to R2 through the framework's upload routes with the owner's mount token,
// kept by the save (D1's avatar_key / avatar_url), served back by /users/:id/avatar/:upload with its type and
// immutable caching; wrong types and sizes are refused with clear problems; a replaced avatar is deleted.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { as, call, seedUser } from "./support";
import { d1User, page, png, profile, uploader, viewer } from "./user-profile-support";

async function problem(r: Response, status: number, detail: RegExp): Promise<void> {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/problem+json");
  expect((await r.json<{ detail: string }>()).detail).toMatch(detail);
}

describe("UserProfile avatar", () => {
  it("the owner uploads an image; saving keeps it in R2 and D1; the route streams it with its type and caching", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    const watcher = await viewer(ada.id);
    const bytes = png(1500);
    const upload = await uploader(ada.id, owner).upload("me.png", "image/png", bytes);
    await owner.act("edit");
    expect(await owner.act("save", { name: "Ada", avatar: upload })).toMatchObject({ type: "ack" });
    const row = (await d1User(ada.id))!;
    expect(row.avatar_key).toBe(`uploads/${upload}`);
    expect(row.avatar_url).toBe(`/users/${ada.id}/avatar/${upload}`);
    await watcher.until(() => watcher.html().includes(`src="${row.avatar_url}"`));
    expect((await profile(ada.id).profile())?.avatarUrl).toBe(row.avatar_url);

    const res = await call("GET", row.avatar_url!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    const again = await call("GET", row.avatar_url!, undefined, { "if-none-match": res.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    // Another upload id (even a real one) is not this user's avatar.
    expect((await call("GET", `/users/${ada.id}/avatar/${crypto.randomUUID()}`)).status).toBe(404);

    // Replacing it: the new one is served, the old object is gone from R2 and its URL is a 404.
    const next = await uploader(ada.id, owner).upload("me2.png", "image/png", png(900));
    await owner.act("edit");
    expect(await owner.act("save", { name: "Ada", avatar: next })).toMatchObject({ type: "ack" });
    await expect.poll(async () => env.UPLOADS.head(`uploads/${upload}`)).toBeNull();
    expect((await call("GET", row.avatar_url!)).status).toBe(404);
    expect((await call("GET", (await d1User(ada.id))!.avatar_url!)).status).toBe(200);
    owner.close();
    watcher.close();
  });

  it("an avatarUrl set through the API replaces the uploaded avatar: the key is cleared and the R2 object deleted", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    const upload = await uploader(ada.id, owner).upload("me.png", "image/png", png(400));
    await owner.act("edit");
    expect(await owner.act("save", { name: "Ada", avatar: upload })).toMatchObject({ type: "ack" });
    const res = await call("PATCH", `/api/users/${ada.id}`, { avatarUrl: "https://images.example.com/ada.png" }, await as(ada));
    expect(await res.json()).toMatchObject({ avatarUrl: "https://images.example.com/ada.png", avatarKey: null });
    await expect.poll(async () => env.UPLOADS.head(`uploads/${upload}`)).toBeNull();
    await owner.until(() => owner.html().includes('src="https://images.example.com/ada.png"'));
    expect((await call("GET", `/users/${ada.id}/avatar/${upload}`)).status).toBe(404);
    // Deleting the user deletes an uploaded avatar too.
    const next = await uploader(ada.id, owner).upload("me2.png", "image/png", png(400));
    await owner.act("edit");
    expect(await owner.act("save", { name: "Ada", avatar: next })).toMatchObject({ type: "ack" });
    expect((await call("DELETE", `/api/users/${ada.id}`, undefined, await as(ada))).status).toBe(204);
    await expect.poll(async () => env.UPLOADS.head(`uploads/${next}`)).toBeNull();
    owner.close();
  });

  it("only images, up to 2 MB: other types, oversized files and bytes that are not the declared image are refused", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    const up = uploader(ada.id, owner);
    await problem(await up.start({ name: "notes.txt", type: "text/plain", size: 10 }), 415, /^avatar accepts image\/png, image\/jpeg, image\/gif, image\/webp, not "text\/plain"/);
    await problem(await up.start({ name: "doc.pdf", type: "application/pdf", size: 10 }), 415, /not "application\/pdf"/);
    await problem(await up.start({ name: "huge.png", type: "image/png", size: 2_000_001 }), 413, /^avatar accepts files up to 2000000 bytes; this one has 2000001/);
    // Declared a PNG, but the bytes are not one: refused on the first chunk, and the upload is deleted.
    const started = await up.start({ name: "fake.png", type: "image/png", size: 64 });
    const { id } = await started.json<{ id: string }>();
    await problem(await up.put(id, 1, new Uint8Array(64).fill(65)), 415, /^The file's content is not image\/png/);
    expect(await env.UPLOADS.head(`uploads/${id}`)).toBeNull();
    owner.close();
  });

  it("a save naming an upload that is not the owner's, or not complete, keeps nothing and changes nothing", async () => {
    const ada = await seedUser("member", "Ada");
    const bob = await seedUser("member", "Bob");
    // Bob may upload on Ada's page (uploads belong to their user, and stay temporary), but cannot save it...
    const bobs = await viewer(ada.id, bob);
    const bobUpload = await uploader(ada.id, bobs).upload("bob.png", "image/png", png(300));
    const owner = await viewer(ada.id, ada);
    await owner.act("edit");
    // ...and Ada cannot keep Bob's upload either.
    expect(await owner.act("save", { name: "Ada", avatar: bobUpload })).toMatchObject({ type: "error", code: "action_failed", message: expect.stringMatching(/No completed upload/) });
    expect(await owner.act("save", { name: "Ada", avatar: "nope" })).toMatchObject({ type: "error", code: "action_failed" });
    expect((await d1User(ada.id))!.avatar_key).toBeNull();
    expect((await page(ada.id)).html).not.toContain("<img");
    owner.close();
    bobs.close();
  });
});
