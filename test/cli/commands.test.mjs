import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, sh, stratus } from "./run.mjs";

const scratch = mkdtempSync(join(tmpdir(), "stratus-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("stratus command line", () => {
  it("prints help with every command, and exits 2 with the help for an unknown command", () => {
    const help = stratus(["--help"], scratch);
    expect(help.status).toBe(0);
    for (const c of ["new", "make:component", "make:page", "make:job", "make:model", "make:middleware", "routes", "jobs:failed", "jobs:retry"]) expect(help.stdout).toContain(c);
    const bad = stratus(["make:thing"], scratch);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Unknown command "make:thing"');
  });

  it("explains each command with --help", () => {
    const r = stratus(["make:component", "--help"], scratch);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: stratus make:component <Name>");
  });

  it("refuses a bad name (exit 2) and a generator outside an app (exit 1)", () => {
    expect(stratus(["make:component", "shopping-cart"], scratch)).toMatchObject({ status: 2, stderr: expect.stringContaining("PascalCase") });
    expect(stratus(["make:component", "--bogus", "Foo"], scratch)).toMatchObject({ status: 2, stderr: expect.stringContaining("--bogus") });
    expect(stratus(["make:component", "Foo"], scratch)).toMatchObject({ status: 1, stderr: expect.stringContaining("No Stratus app here") });
  });

  it("refuses to write a new app into a folder that is not empty", () => {
    const r = stratus(["new", REPO, "--stratus", "^0.1.0"], scratch);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not an empty folder");
  });

  it("explains an unreachable app for jobs:failed", () => {
    const r = stratus(["jobs:failed", "--url", "http://127.0.0.1:9", "--token", "t"], scratch);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Could not reach http://127.0.0.1:9");
  });
});

describe("npm pack", () => {
  it("ships the framework and the CLI, not the reference app, tests or benchmarks", () => {
    const r = sh("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], REPO);
    expect(r.status, r.stderr).toBe(0);
    const files = JSON.parse(r.stdout)[0].files.map((f) => f.path);
    expect(files).toContain("cli/stratus.mjs");
    expect(files).toContain("worker/index.ts");
    expect(files).toContain("durable-objects/index.ts");
    expect(files).toContain("cli/templates/app/wrangler.toml.tpl");
    for (const prefix of ["test/", "bench/", "app/", "components/", "config/", "migrations/", "scripts/", "node_modules/"]) {
      expect(files.filter((f) => f.startsWith(prefix)), prefix).toEqual([]);
    }
    expect(files.filter((f) => f.endsWith(".test.ts"))).toEqual([]);
  });
});

describe("generators write all or nothing", () => {
  it("leaves every file as it was when one edit cannot be made", async () => {
    const { mkdirSync, writeFileSync, readFileSync, existsSync } = await import("node:fs");
    const app = join(scratch, "half-app");
    mkdirSync(join(app, "config"), { recursive: true });
    mkdirSync(join(app, "app"), { recursive: true });
    const toml = 'name = "half"\n# a comment\n';
    writeFileSync(join(app, "package.json"), "{}\n");
    writeFileSync(join(app, "wrangler.toml"), toml);
    writeFileSync(join(app, "config", "components.ts"), "export default {};\n");
    writeFileSync(join(app, "app", "index.ts"), "export default {};\n");
    const r = stratus(["make:component", "Foo", "--no-types"], app);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("config/components.ts: found no `registry: { ... }` object literal");
    expect(readFileSync(join(app, "wrangler.toml"), "utf8")).toBe(toml);
    expect(existsSync(join(app, "components"))).toBe(false);
    expect(existsSync(join(app, "test"))).toBe(false);
  });
});
