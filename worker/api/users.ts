import { USERS } from "../db/tokens";
import { json } from "../http/respond";
import type { Router } from "../routing/router";
import { createUser, listUsers, updateUser } from "./schemas";
import { parseBody, parseQuery } from "./validate";

/** /api/users: create, read, list (cursor), update, delete. */
export function userRoutes(api: Router): void {
  api.get("/users", async (c) => {
    const q = await parseQuery(c, listUsers);
    const page = await c.resolve(USERS).paginate({ limit: q.limit, cursor: q.cursor ?? null });
    return { data: page.items, nextCursor: page.nextCursor };
  }, { name: "users.index" });

  api.post("/users", async (c) => {
    const user = await c.resolve(USERS).create(await parseBody(c, createUser));
    return json(user, { status: 201, headers: { location: `/api/users/${encodeURIComponent(user.id)}` } });
  }, { name: "users.store" });

  api.get("/users/:id", (c) => c.resolve(USERS).findOrFail(c.params.id), { name: "users.show" });

  api.patch("/users/:id", async (c) => c.resolve(USERS).update(c.params.id, await parseBody(c, updateUser)), { name: "users.update" });

  api.delete("/users/:id", async (c) => {
    await c.resolve(USERS).delete(c.params.id);
    return null;
  }, { name: "users.destroy" });
}
