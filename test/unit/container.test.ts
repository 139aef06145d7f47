import { describe, expect, it } from "vitest";
import { CircularDependencyError, Container, MissingBindingError } from "../../worker/app/container";
import { defineModule } from "../../worker/app/module";
import { token } from "../../worker/app/token";
import { EXECUTION_CONTEXT } from "../../worker/app/tokens";
import { testApp } from "../support/app";

interface Counter {
  id: number;
}

describe("container scopes across requests", () => {
  let made = 0;
  const SHARED = token<Counter>("shared");
  const PER_REQUEST = token<Counter>("perRequest");
  const module = defineModule({
    name: "scopes",
    providers: [
      {
        name: "scopes",
        register(app) {
          app.container.singleton(SHARED, () => ({ id: ++made }));
          app.container.scoped(PER_REQUEST, () => ({ id: ++made }));
        },
      },
    ],
    routes(r) {
      r.get("/", (c) => {
        const a = c.resolve(PER_REQUEST);
        const b = c.resolve(PER_REQUEST);
        return { shared: c.resolve(SHARED).id, scoped: a.id, sameWithin: a === b, hasCtx: c.resolve(EXECUTION_CONTEXT) === c.ctx };
      });
    },
  });
  const t = testApp({ modules: [module] });

  it("a singleton is shared by every request; a scoped service is one per request", async () => {
    const first = await (await t.fetch("/")).json<{ shared: number; scoped: number; sameWithin: boolean; hasCtx: boolean }>();
    const second = await (await t.fetch("/")).json<{ shared: number; scoped: number; sameWithin: boolean; hasCtx: boolean }>();
    expect(first.shared).toBe(second.shared);
    expect(first.scoped).not.toBe(second.scoped);
    expect(first.sameWithin && second.sameWithin).toBe(true);
    expect(first.hasCtx).toBe(true);
    expect(t.app.resolve(SHARED).id).toBe(first.shared);
  });

  it("a scoped service cannot be resolved from the application container", () => {
    expect(() => t.app.resolve(PER_REQUEST)).toThrow(/request-scoped/);
  });
});

describe("container errors", () => {
  it("a missing binding names the token and the chain that needed it", () => {
    const c = new Container();
    const MAILER = token<string>("mailer");
    const SIGNUP = token<string>("signup");
    c.singleton(SIGNUP, (k) => `uses ${k.resolve(MAILER)}`);
    expect(() => c.resolve(MAILER)).toThrow(MissingBindingError);
    expect(() => c.resolve(MAILER)).toThrow(/"mailer"/);
    expect(() => c.resolve(SIGNUP)).toThrow(/No binding for "mailer".*needed by signup/);
  });

  it("a circular dependency is reported with its whole cycle", () => {
    const c = new Container();
    const A = token<number>("a");
    const B = token<number>("b");
    c.singleton(A, (k) => k.resolve(B) + 1);
    c.singleton(B, (k) => k.resolve(A) + 1);
    expect(() => c.resolve(A)).toThrow(CircularDependencyError);
    expect(() => c.resolve(A)).toThrow("Circular dependency: a -> b -> a");
  });

  it("a value set in a request scope stays in that scope", () => {
    const root = new Container();
    const USER = token<string>("user");
    const one = root.createScope().value(USER, "ada");
    const two = root.createScope();
    expect(one.resolve(USER)).toBe("ada");
    expect(() => two.resolve(USER)).toThrow(MissingBindingError);
  });
});
