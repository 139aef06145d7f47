import { describe, expect, it } from "vitest";
import type { Application } from "../../worker/app/application";
import { defineModule } from "../../worker/app/module";
import { token } from "../../worker/app/token";
import { testApp } from "../support/app";

const STARTED = token<{ at: number }>("test.started");

function counted() {
  const calls = { register: 0, boot: 0, routes: 0 };
  const module = defineModule({
    name: "counted",
    providers: [
      {
        name: "counter",
        register(app: Application) {
          calls.register++;
          app.container.singleton(STARTED, () => ({ at: calls.register }));
        },
        async boot() {
          calls.boot++;
          await scheduler.wait(5);
        },
      },
    ],
    routes(router) {
      calls.routes++;
      router.get("/", (c) => c.resolve(STARTED));
    },
  });
  return { calls, module };
}

describe("application boot", () => {
  it("boots once per isolate, not per request", async () => {
    const { calls, module } = counted();
    const t = testApp({ modules: [module] });
    expect(t.app.booted).toBe(false);
    for (let i = 0; i < 3; i++) expect((await t.fetch("/")).status).toBe(200);
    expect(calls).toEqual({ register: 1, boot: 1, routes: 1 });
    expect(t.app.booted).toBe(true);
  });

  it("concurrent first requests share one boot", async () => {
    const { calls, module } = counted();
    const t = testApp({ modules: [module] });
    const all = await Promise.all([t.fetch("/"), t.fetch("/"), t.fetch("/"), t.fetch("/")]);
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(calls.boot).toBe(1);
  });

  it("a failed boot is retried on the next request", async () => {
    let attempts = 0;
    const flaky = defineModule({
      name: "flaky",
      providers: [
        {
          name: "flaky",
          register() {},
          boot() {
            attempts++;
            if (attempts === 1) throw new Error("first boot fails");
          },
        },
      ],
      routes: (r) => r.get("/", () => "up", { name: "up" }),
    });
    const t = testApp({ modules: [flaky] });
    const first = await t.fetch("/");
    expect(first.status).toBe(500);
    expect(first.headers.get("x-request-id")).toMatch(/.+/);
    expect(await (await t.fetch("/")).text()).toBe("up");
    expect(attempts).toBe(2);
    // Routes were registered once: the named route did not collide on the retry.
    expect(t.app.router.routes.filter((r) => r.name === "up")).toHaveLength(1);
  });

  it("a failure while registering is permanent for the isolate, not a double registration", async () => {
    let registers = 0;
    const broken = defineModule({
      name: "broken",
      providers: [
        {
          name: "broken",
          register() {
            registers++;
            throw new Error("cannot register");
          },
        },
      ],
      routes: (r) => r.get("/", () => "up", { name: "up" }),
    });
    const t = testApp({ modules: [broken] });
    expect((await t.fetch("/")).status).toBe(500);
    expect((await t.fetch("/")).status).toBe(500);
    expect(registers).toBe(1);
  });

  it("refuses middleware added after boot", async () => {
    const t = testApp({ routes: (r) => r.get("/", () => "x") });
    await t.fetch("/");
    expect(() => t.app.use(async (_c, next) => next())).toThrow(/before the application boots/);
  });
});
