import { describe, expect, it } from "vitest";
import { call, created, unique, type Problem } from "../support";

interface User { id: string; email: string; name: string; bio: string | null; createdAt: string; updatedAt: string }

describe("/api/users", () => {
  it("creates, reads, updates and deletes a user", async () => {
    const res = await call("POST", "/api/users", { email: "Ada@Example.com", name: "Ada", bio: "first" });
    expect(res.status).toBe(201);
    const user = await res.json<User>();
    expect(res.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", bio: "first" });
    expect(Date.parse(user.createdAt)).not.toBeNaN();

    const shown = await call("GET", `/api/users/${user.id}`);
    expect(await shown.json()).toEqual(user);

    const patched = await call("PATCH", `/api/users/${user.id}`, { name: "Ada L." });
    expect(patched.status).toBe(200);
    expect(await patched.json<User>()).toMatchObject({ id: user.id, name: "Ada L.", email: "ada@example.com" });

    expect((await call("DELETE", `/api/users/${user.id}`)).status).toBe(204);
    const gone = await call("GET", `/api/users/${user.id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers 409 naming the field for a duplicate email", async () => {
    const email = `${unique("dup")}@example.com`;
    await created("/api/users", { email, name: "One" });
    const res = await call("POST", "/api/users", { email, name: "Two" });
    expect(res.status).toBe(409);
    const p = await res.json<Problem>();
    expect(p.kind).toBe("unique");
    expect(p.errors).toEqual([expect.objectContaining({ path: "/email" })]);
    expect(p.detail).toContain("email");
  });

  it("answers 409 when an update collides with another user's email", async () => {
    const a = await created<User>("/api/users", { email: `${unique("a")}@example.com`, name: "A" });
    const b = await created<User>("/api/users", { email: `${unique("b")}@example.com`, name: "B" });
    const res = await call("PATCH", `/api/users/${b.id}`, { email: a.email });
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).errors?.[0]?.path).toBe("/email");
  });

  it("answers 404 for update and delete of a missing user", async () => {
    expect((await call("PATCH", "/api/users/nope", { name: "X" })).status).toBe(404);
    expect((await call("DELETE", "/api/users/nope")).status).toBe(404);
  });

  it("answers 422 with field errors for invalid input", async () => {
    const res = await call("POST", "/api/users", { email: "not-an-email", name: "", extra: 1 });
    expect(res.status).toBe(422);
    const p = await res.json<Problem>();
    const paths = p.errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["/email", "/name"]));
    expect(p.errors?.every((e) => e.in === "body")).toBe(true);
  });

  it("answers 400 for broken JSON and 415 for a non-JSON body", async () => {
    const broken = await call("POST", "/api/users", "{\"email\":", { "content-type": "application/json" });
    expect(broken.status).toBe(400);
    const text = await call("POST", "/api/users", "email=a", { "content-type": "application/x-www-form-urlencoded" });
    expect(text.status).toBe(415);
  });

  it("lists users newest first with a cursor", async () => {
    for (let i = 0; i < 5; i++) await created("/api/users", { email: `${unique("list")}@example.com`, name: `L${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `/api/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const body: { data: User[]; nextCursor: string | null } = await res.json();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((u) => u.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    const total = (await (await call("GET", "/api/users?limit=100")).json<{ data: User[] }>()).data.length;
    expect(seen.length).toBe(total);
  });

  it("rejects a bad limit or a forged cursor", async () => {
    expect((await call("GET", "/api/users?limit=0")).status).toBe(422);
    const forged = await call("GET", "/api/users?cursor=not-a-cursor");
    expect(forged.status).toBe(400);
    expect((await forged.json<Problem>()).errors?.[0]?.path).toBe("/cursor");
  });
});
