import { json, validate, type Router } from "stratus";
import { publicUser } from "../db/repositories/users";
import { USERS } from "../db/tokens";
import { createUser, listUsers, updateUser } from "./schemas";

/** /api/users: create, read, list (cursor), update, delete. */
export function userRoutes(api: Router): void {
  api.get("/users", validate({ query: listUsers }, async (c, { query: q }) => {
    const page = await c.resolve(USERS).paginate({ limit: q.limit, cursor: q.cursor ?? null });
    return { data: page.items.map(publicUser), nextCursor: page.nextCursor };
  }), { name: "users.index" });

  api.post("/users", validate({ body: createUser }, async (c, { body }) => {
    const user = await c.resolve(USERS).create(body);
    return json(publicUser(user), { status: 201, headers: { location: `/api/users/${encodeURIComponent(user.id)}` } });
  }), { name: "users.store" });

  api.get("/users/:id", async (c) => publicUser(await c.resolve(USERS).findOrFail(c.params.id)), { name: "users.show" });

  api.patch("/users/:id", validate({ body: updateUser }, async (c, { body }) => publicUser(await c.resolve(USERS).update(c.params.id!, body))), { name: "users.update" });

  api.delete("/users/:id", async (c) => {
    await c.resolve(USERS).delete(c.params.id);
    return null;
  }, { name: "users.destroy" });
}
