import type { UserProvider } from "stratus";
import { createDatabase } from "stratus/db";
import { UserRepository } from "../db/repositories/users";
import type { User } from "../db/schema";
import { ROLE_ABILITIES } from "./roles";

declare module "stratus" {
  interface AuthRegister {
    user: User;
  }
}

// One repository per env object: the Worker's env is the same object for an isolate's life.
const repos = new WeakMap<Cloudflare.Env, UserRepository>();

/** Loads users from D1 for identify() and for live components (which have env, not a request). */
export const users: UserProvider<User> = {
  find(id, env) {
    let repo = repos.get(env);
    if (!repo) repos.set(env, (repo = new UserRepository(createDatabase(env.DB))));
    return repo.find(id);
  },
  abilities: (user) => ROLE_ABILITIES[user.role],
};
