import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The line between framework and app: app code reaches the framework only by
 * its package entry points, and framework code never reaches app code. With
 * this holding, the reference app could move to its own repository by
 * changing one dependency line.
 */
const root = resolve(import.meta.dirname, "../..");
const APP = ["app", "components", "config"];
const FRAMEWORK = ["worker", "durable-objects", "client"];
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; exports: Record<string, string> };

function files(dir: string): string[] {
  const abs = join(root, dir);
  return readdirSync(abs).flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return files(relative(root, path));
    return /\.(ts|mts|js|mjs)$/.test(name) && !/\.d\.ts$/.test(name) ? [relative(root, path)] : [];
  });
}

/** Module specifiers a file imports or re-exports, read by TypeScript's own pre-processor (dynamic imports included). */
function imports(file: string, text = readFileSync(join(root, file), "utf8")): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const area = (path: string): string => path.split(sep)[0]!;

function violations(from: readonly string[], forbidden: readonly string[], allowSelf: boolean, sources = from.flatMap(files).map((file) => ({ file, specs: imports(file) }))): string[] {
  const out: string[] = [];
  for (const { file, specs } of sources) {
    for (const spec of specs) {
      if (spec.startsWith(".")) {
        const target = relative(root, resolve(dirname(join(root, file)), spec));
        if (forbidden.includes(area(target))) out.push(`${file} imports ${spec}`);
      } else if (!allowSelf && (spec === pkg.name || spec.startsWith(`${pkg.name}/`))) {
        out.push(`${file} imports ${spec} (framework code imports itself by relative path)`);
      }
    }
  }
  return out;
}

describe("framework / app boundary", () => {
  it("app code imports the framework only through its package entry points", () => {
    expect(violations(APP, FRAMEWORK, true)).toEqual([]);
  });

  it("framework code never imports app code", () => {
    expect(violations(FRAMEWORK, APP, false)).toEqual([]);
  });

  it("every stratus/* an app imports is a declared entry point, and every entry point exists", () => {
    const entries = new Set(Object.keys(pkg.exports).map((k) => (k === "." ? pkg.name : `${pkg.name}/${k.slice(2)}`)));
    const used = APP.flatMap(files).flatMap((f) => imports(f)).filter((s) => s === pkg.name || s.startsWith(`${pkg.name}/`));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((s) => !entries.has(s))).toEqual([]);
    for (const target of Object.values(pkg.exports)) expect(statSync(join(root, target)).isFile()).toBe(true);
  });

  it("the checker catches each kind of crossing", () => {
    // The reference app's imports before the line was drawn, and a framework file reaching back.
    const app = [{ file: "components/counter/counter.ts", specs: imports("x.ts", 'import { Component } from "../../durable-objects/component";\nconst v = await import("../../worker/templating/html");') }];
    expect(violations(APP, FRAMEWORK, true, app)).toHaveLength(2);
    const framework = [{ file: "worker/app/application.ts", specs: imports("x.ts", 'export { x } from "../../config/index";\nimport { y } from "stratus/live";') }];
    expect(violations(FRAMEWORK, APP, false, framework)).toHaveLength(2);
  });
});
