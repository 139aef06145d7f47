import { defineGate, definePolicy } from "../../../worker/auth/gate";
import type { UserProvider } from "../../../worker/auth/user";

/** The framework tests' users: plain objects (the app's come from D1; the gate does not care). */
export interface TestUser {
  id: string;
  role: "viewer" | "member" | "admin";
}

export interface Doc {
  kind: "doc";
  id: string;
  ownerId: string;
}

export const people = new Map<string, TestUser>([
  ["ada", { id: "ada", role: "member" }],
  ["bob", { id: "bob", role: "member" }],
  ["vic", { id: "vic", role: "viewer" }],
  ["root", { id: "root", role: "admin" }],
]);

const ROLES: Record<TestUser["role"], readonly string[]> = { viewer: [], member: ["docs:write"], admin: ["*"] };

export const testUsers: UserProvider<TestUser> = {
  find: async (id) => people.get(id),
  abilities: (u) => ROLES[u.role],
};

export const docPolicy = definePolicy<TestUser, Doc>({
  appliesTo: (x): x is Doc => typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "doc",
  rules: { update: (u, d) => d.ownerId === u.id, view: () => true },
  tokenAbilities: { update: "docs:write" },
});

export const docs = new Map<string, Doc>([["d1", { kind: "doc", id: "d1", ownerId: "ada" }]]);

export const testGate = defineGate(testUsers)
  .before((u) => (u.role === "admin" ? true : undefined))
  .define("reports:read", (u) => u.role !== "viewer")
  .policy(docPolicy);
