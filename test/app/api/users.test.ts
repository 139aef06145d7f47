import { describe, expect, it } from "vitest";
import { as, call, created, seedUser, unique, type Problem } from "../support";

/** Creating users through the API is for admins (people sign up at /register). */
const admin = async () => as(await seedUser("admin"));

interface User { id: string; email: string; name: string; bio: string | null; createdAt: string; updatedAt: string }

describe("/api/users", () => {
  it("creates, reads, updates and deletes a user", async () => {
    const res = await call("POST", "/api/users", { email: "Ada@Example.com", name: "Ada", bio: "first" }, await admin());
    expect(res.status).toBe(201);
    const user = await res.json<User>();
    expect(res.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", bio: "first" });
    expect(Date.parse(user.createdAt)).not.toBeNaN();

    const shown = await call("GET", `/api/users/${user.id}`);
    expect(await shown.json()).toEqual(user);

    const self = await as(user);
    const patched = await call("PATCH", `/api/users/${user.id}`, { name: "Ada L." }, self);
    expect(patched.status).toBe(200);
    expect(await patched.json<User>()).toMatchObject({ id: user.id, name: "Ada L.", email: "ada@example.com" });

    expect((await call("DELETE", `/api/users/${user.id}`, undefined, self)).status).toBe(204);
    const gone = await call("GET", `/api/users/${user.id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers 409 naming the field for a duplicate email", async () => {
    const email = `${unique("dup")}@example.com`;
    const headers = await admin();
    await created("/api/users", { email, name: "One" }, headers);
    const res = await call("POST", "/api/users", { email, name: "Two" }, headers);
    expect(res.status).toBe(409);
    const p = await res.json<Problem>();
    expect(p.kind).toBe("unique");
    expect(p.errors).toEqual([expect.objectContaining({ path: "/email" })]);
    expect(p.detail).toContain("email");
  });

  it("answers 409 when an update collides with another user's email", async () => {
    const a = await seedUser();
    const b = await seedUser();
    const res = await call("PATCH", `/api/users/${b.id}`, { email: a.email }, await as(b));
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).errors?.[0]?.path).toBe("/email");
  });

  it("answers 404 for update and delete of a missing user", async () => {
    const headers = await admin();
    expect((await call("PATCH", "/api/users/nope", { name: "X" }, headers)).status).toBe(404);
    expect((await call("DELETE", "/api/users/nope", undefined, headers)).status).toBe(404);
  });

  it("answers 422 with field errors for invalid input", async () => {
    const res = await call("POST", "/api/users", { email: "not-an-email", name: "", extra: 1 }, await admin());
    expect(res.status).toBe(422);
    const p = await res.json<Problem>();
    const paths = p.errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["/email", "/name"]));
    expect(p.errors?.every((e) => e.in === "body")).toBe(true);
  });

  it("answers 400 for broken JSON and 415 for a non-JSON body", async () => {
    const headers = await admin();
    const broken = await call("POST", "/api/users", "{\"email\":", { ...headers, "content-type": "application/json" });
    expect(broken.status).toBe(400);
    const text = await call("POST", "/api/users", "email=a", { ...headers, "content-type": "application/x-www-form-urlencoded" });
    expect(text.status).toBe(415);
  });

  it("lists users newest first with a cursor", async () => {
    for (let i = 0; i < 5; i++) await seedUser("member", `L${i}`);
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

  it("needs a user to write: 401 without one, 403 for someone else's profile or a non-admin creating users", async () => {
    const ada = await seedUser();
    const bob = await seedUser();
    expect((await call("PATCH", `/api/users/${ada.id}`, { name: "X" })).status).toBe(401);
    expect((await call("DELETE", `/api/users/${ada.id}`)).status).toBe(401);
    expect((await call("POST", "/api/users", { email: `${unique("n")}@example.com`, name: "N" })).status).toBe(401);
    const other = await call("PATCH", `/api/users/${ada.id}`, { name: "Hijacked" }, await as(bob));
    expect(other.status).toBe(403);
    expect(await other.json<Problem>()).toMatchObject({ type: "https://stratus.dev/problems/forbidden", status: 403 });
    expect((await call("DELETE", `/api/users/${ada.id}`, undefined, await as(bob))).status).toBe(403);
    expect((await call("POST", "/api/users", { email: `${unique("n")}@example.com`, name: "N" }, await as(bob))).status).toBe(403);
    expect((await (await call("GET", `/api/users/${ada.id}`)).json<User>()).name).toBe("Someone");
  });

  it("an admin may change anyone's profile; a body cannot set a role", async () => {
    const ada = await seedUser();
    expect((await call("PATCH", `/api/users/${ada.id}`, { name: "By admin" }, await admin())).status).toBe(200);
    const promote = await call("PATCH", `/api/users/${ada.id}`, { role: "admin" }, await as(ada));
    expect(promote.status).toBe(422);
  });

  it("a token needs profile:write to change its user's profile", async () => {
    const ada = await seedUser();
    const res = await call("PATCH", `/api/users/${ada.id}`, { name: "T" }, await as(ada, { via: "token", abilities: ["articles:write"] }));
    expect(res.status).toBe(403);
    expect(await res.json<Problem>()).toMatchObject({ type: "https://stratus.dev/problems/insufficient-ability", ability: "profile:write" });
    expect((await call("PATCH", `/api/users/${ada.id}`, { name: "T" }, await as(ada, { via: "token", abilities: ["profile:write"] }))).status).toBe(200);
  });

  it("GET /api/me names the caller and how they authenticated; 401 for a guest", async () => {
    const ada = await seedUser();
    const viaToken = await call("GET", "/api/me", undefined, await as(ada, { via: "token", abilities: ["articles:write"] }));
    expect(await viaToken.json()).toMatchObject({ user: { id: ada.id, email: ada.email, role: "member" }, via: "token", abilities: ["articles:write"] });
    expect(await (await call("GET", "/api/me", undefined, await as(ada))).json()).toMatchObject({ user: { id: ada.id }, via: "session", abilities: null });
    const guest = await call("GET", "/api/me");
    expect(guest.status).toBe(401);
    expect(guest.headers.get("www-authenticate")).toBe("Bearer");
  });
});
