import { auth, can, json, validate, type RequestContext, type Router } from "stratus";
import { USERS } from "../db/tokens";
import { createUser, listUsers, updateUser } from "./schemas";

const target = (c: RequestContext) => c.resolve(USERS).findOrFail(c.params.id!);

/**
 * /api/users: create, read, list (cursor), update, delete. Reads are public. A user changes or
 * deletes only their own profile (token ability `profile:write`); creating users here is for
 * admins (`users:create`, which only admins' "*" grants): people sign up at /register.
 */
export function userRoutes(api: Router): void {
  api.get("/users", validate({ query: listUsers }, async (c, { query: q }) => {
    const page = await c.resolve(USERS).paginate({ limit: q.limit, cursor: q.cursor ?? null });
    return { data: page.items, nextCursor: page.nextCursor };
  }), { name: "users.index" });

  api.post("/users", validate({ body: createUser }, async (c, { body }) => {
    const user = await c.resolve(USERS).create(body);
    return json(user, { status: 201, headers: { location: `/api/users/${encodeURIComponent(user.id)}` } });
  }), { name: "users.store", middleware: [can("users:create")] });

  // Who the caller is (session or token): what an API client checks its token with.
  // Named fields, not the row: a users row may carry secrets (a password hash) that no response should.
  api.get("/me", (c) => {
    const { id, email, name, role, avatarUrl, bio } = c.user!;
    return { user: { id, email, name, role, avatarUrl, bio }, via: c.identity.via, abilities: c.identity.token?.abilities ?? null };
  }, { name: "me", middleware: [auth()] });

  api.get("/users/:id", (c) => c.resolve(USERS).findOrFail(c.params.id), { name: "users.show" });

  api.patch("/users/:id", validate({ body: updateUser }, (c, { body }) => c.resolve(USERS).update(c.params.id!, body)), { name: "users.update", middleware: [can("update", target)] });

  api.delete("/users/:id", async (c) => {
    await c.resolve(USERS).delete(c.params.id);
    return null;
  }, { name: "users.destroy", middleware: [can("delete", target)] });
}
