import { describe, expect, it } from "vitest";
import { defineFrameworkConfig, loadConfig } from "../../worker/app/config";
import { defineConfig } from "../../worker/config/index";
import { testApp } from "../support/app";

describe("app config files over the framework's", () => {
  it("a later file for the same key replaces it and starts from its values", () => {
    const base = defineFrameworkConfig("greeting", (env) => ({ word: env.string("WORD", "hello"), times: 1 }));
    const override = { key: "greeting", load: (_env: unknown, defaults?: { word: string; times: number }) => ({ ...defaults!, times: 3 }) };
    const config = loadConfig([base, override], { WORD: "hi" });
    expect(config.greeting).toEqual({ word: "hi", times: 3 });
  });

  it("an Application's config option overrides a framework key and adds the app's own", async () => {
    const app = defineConfig("app", (env, defaults) => ({ ...defaults, name: env.string("APP_NAME", "Shop") }));
    const extra = defineConfig("shop", (env) => ({ currency: env.string("CURRENCY", "EUR") }));
    const t = testApp({
      routes: (r) => r.get("/", (c) => ({ name: c.config.app.name, env: c.config.app.env, shop: (c.config as unknown as Record<string, unknown>).shop })),
      config: [app, extra],
    });
    const res = await t.fetch("/");
    expect(await res.json()).toEqual({ name: "Shop", env: "test", shop: { currency: "EUR" } });
  });
});
