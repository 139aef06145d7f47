import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sh, stratus } from "./run.mjs";

/**
 * End to end, as a user would: `stratus new` from this checkout (which `npm pack`s it into the
 * app's vendor/), `npm install` from the registry, the app's own `npm test`; then every generator
 * in that app, and its `npm test` again (type check plus every generated test, inside workerd).
 * One app is shared by all steps: installing is most of the cost.
 */
const scratch = mkdtempSync(join(tmpdir(), "stratus-app-"));
const app = join(scratch, "my-app");
const read = (rel) => readFileSync(join(app, rel), "utf8");
const npm = (args) => sh("npm", args, app, { CI: "1", NO_COLOR: "1", FORCE_COLOR: "0", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });

beforeAll(() => {
  const created = stratus(["new", app], scratch);
  expect(created.status, created.output).toBe(0);
  const install = npm(["install"]);
  expect(install.status, install.output).toBe(0);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a generated app", () => {
  it("depends on the packed framework and pins the framework's tool versions", () => {
    const pkg = JSON.parse(read("package.json"));
    const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.dependencies.stratus).toBe(`file:vendor/stratus-${own.version}.tgz`);
    expect(existsSync(join(app, "vendor", `stratus-${own.version}.tgz`))).toBe(true);
    for (const tool of ["wrangler", "vitest", "@cloudflare/vitest-plugin", "@cloudflare/workers-types", "typescript", "drizzle-kit", "node"]) {
      expect(pkg.devDependencies[tool], tool).toBe(own.devDependencies[tool]);
    }
    expect(pkg.dependencies.valibot).toBe(own.dependencies.valibot);
    expect(read("README.md")).toContain("npm install && npm test");
  });

  it("passes its own npm test", () => {
    const r = npm(["test"]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/Tests\s+\d+ passed/);
  }, 180_000);

  it("ships a migration that matches the framework's tables: db:generate finds nothing to do", () => {
    // The template's migration is drizzle-kit output; a framework table added since would show here.
    const r = npm(["run", "db:generate"]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("No schema changes");
    expect(readdirSync(join(app, "migrations")).filter((f) => f.endsWith(".sql"))).toEqual(["0000_init.sql"]);
  });

  it("refuses to overwrite: make:component Counter changes nothing", () => {
    const before = read("wrangler.toml");
    const r = npm(["exec", "--", "stratus", "make:component", "Counter", "--no-types"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Refusing to overwrite components/counter/counter.ts");
    expect(read("wrangler.toml")).toBe(before);
  });

  it("runs every generator, and the app's npm test still passes with their tests", () => {
    const runs = [
      ["make:component", "ShoppingCart"],
      ["make:page", "About"],
      ["make:job", "SendDigest"],
      ["make:model", "Tag"],
      ["make:middleware", "Timing", "--global"],
    ];
    for (const args of runs) {
      const r = npm(["exec", "--", "stratus", ...args]);
      expect(r.status, `${args.join(" ")}\n${r.output}`).toBe(0);
      expect(r.stdout).toMatch(/created|updated/);
    }

    const toml = read("wrangler.toml");
    expect(toml).toContain('[[durable_objects.bindings]]\nname = "SHOPPING_CART"\nclass_name = "ShoppingCart"');
    expect(toml).toMatch(/\[\[migrations\]\]\ntag = "v2"\nnew_sqlite_classes = \[ ?"ShoppingCart" ?\]/);
    expect(toml).toContain("# Live components: one binding and one migration tag each");
    expect(read("config/components.ts")).toContain('"shopping-cart": "SHOPPING_CART",');
    expect(read("app/index.ts")).toContain('export { ShoppingCart } from "../components/shopping-cart/shopping-cart";');
    expect(read("worker-configuration.d.ts")).toContain("SHOPPING_CART");
    expect(read("app/bootstrap.ts")).toMatch(/jobs\(recordNoteJob, sendDigestJob\)/);
    expect(read("app/db/schema/index.ts")).toContain('export * from "./tag";');
    expect(readdirSync(join(app, "migrations")).filter((f) => f.endsWith(".sql"))).toHaveLength(2);

    const r = npm(["test"]);
    expect(r.status, r.output).toBe(0);
    for (const file of ["shopping-cart.test.ts", "about-page.test.ts", "send-digest-job.test.ts", "tag-repository.test.ts", "timing-middleware.test.ts"]) {
      expect(r.output).toContain(file);
    }
  }, 240_000);

  it("lists the routes, booted inside workerd", () => {
    const r = npm(["exec", "--", "stratus", "routes", "--json"]);
    expect(r.status, r.output).toBe(0);
    const { routes } = JSON.parse(r.stdout);
    expect(routes).toContainEqual(expect.objectContaining({ method: "GET", path: "/", name: "home" }));
    expect(routes).toContainEqual(expect.objectContaining({ method: "GET", path: "/about", name: "about" }));
    expect(routes).toContainEqual(expect.objectContaining({ method: "POST", path: "/notes", name: "notes.store" }));
    // Global middleware first (the defaults, then make:middleware --global's), then the group's.
    const home = routes.find((r) => r.name === "home");
    expect(home.middleware[0]).toBe("requestId");
    expect(home.middleware.at(-1)).toBe("timing");
    expect(routes.find((r) => r.name === "jobs.failed.index").middleware.at(-1)).toBe("adminGuard");
  }, 60_000);

  it("lists failed jobs from the local D1 without a running app", () => {
    const migrate = npm(["run", "db:migrate"]);
    expect(migrate.status, migrate.output).toBe(0);
    const r = npm(["exec", "--", "stratus", "jobs:failed", "--local", "--json"]);
    expect(r.status, r.output).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  }, 60_000);
});
