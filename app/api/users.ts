import { auth, can, json, validate, type RequestContext, type Router } from "stratus";
import { EVENTS } from "stratus/events";
import { publicUser } from "../db/repositories/users";
import type { User } from "../db/schema";
import { USERS } from "../db/tokens";
import { createUser, listUsers, updateUser } from "./schemas";
import "./user-events";

const target = (c: RequestContext) => c.resolve(USERS).findOrFail(c.params.id!);

/** Deletes an avatar no row references any more, after the response (a failure leaves an orphan, logged). */
function forgetAvatar(c: RequestContext, key: string): void {
  c.ctx.waitUntil(c.env.UPLOADS.delete(key).catch((error: unknown) => c.log.error("avatar not deleted", { key, error })));
}

/**
 * /api/users: create, read, list (cursor), update, delete. Reads are public. A user changes or
 * deletes only their own profile (token ability `profile:write`); creating users here is for
 * admins (`users:create`, which only admins' "*" grants): people sign up at /register.
 */
export function userRoutes(api: Router): void {
  api.get("/users", validate({ query: listUsers }, async (c, { query: q }) => {
    const page = await c.resolve(USERS).paginate({ limit: q.limit, cursor: q.cursor ?? null });
    return { data: page.items.map(publicUser), nextCursor: page.nextCursor };
  }), { name: "users.index" });

  api.post("/users", validate({ body: createUser }, async (c, { body }) => {
    const user = await c.resolve(USERS).create(body);
    return json(publicUser(user), { status: 201, headers: { location: `/api/users/${encodeURIComponent(user.id)}` } });
  }), { name: "users.store", middleware: [can("users:create")] });

  // Who the caller is (session or token): what an API client checks its token with.
  // publicUser, as every users response: the row's password hash never leaves the Worker.
  api.get("/me", (c) => {
    return { user: publicUser(c.user!), via: c.identity.via, abilities: c.identity.token?.abilities ?? null };
  }, { name: "me", middleware: [auth()] });

  api.get("/users/:id", async (c) => publicUser(await c.resolve(USERS).findOrFail(c.params.id)), { name: "users.show" });

  // D1 is the profile's source of truth; the broadcast tells a live /users/:id page to re-read the row.
  api.patch("/users/:id", validate({ body: updateUser }, async (c, { body }) => {
    const before = c.locals.get("subject") as User;
    // A new avatarUrl replaces an uploaded avatar: the row forgets its R2 key and the object goes.
    const dropsUpload = body.avatarUrl !== undefined && before.avatarKey !== null;
    const user = await c.resolve(USERS).update(before.id, dropsUpload ? { ...body, avatarKey: null } : body);
    if (dropsUpload) forgetAvatar(c, before.avatarKey!);
    await c.resolve(EVENTS).dispatch("user.updated", { id: user.id });
    return publicUser(user);
  }), { name: "users.update", middleware: [can("update", target)] });

  api.delete("/users/:id", async (c) => {
    const before = c.locals.get("subject") as User;
    await c.resolve(USERS).delete(before.id);
    if (before.avatarKey) forgetAvatar(c, before.avatarKey);
    await c.resolve(EVENTS).dispatch("user.deleted", { id: before.id });
    return null;
}, { name: "users.destroy", middleware: [can("delete", target)] });
}
