import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { readJson } from "./app.mjs";
import { CliError } from "./errors.mjs";

/** This framework's own folder (the one holding cli/), and its package.json. */
export const FRAMEWORK_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function frameworkPackage() {
  return readJson(join(FRAMEWORK_ROOT, "package.json"));
}

/** Installed from a registry or tarball (under node_modules), as opposed to run from a checkout. */
export function isInstalled(root = FRAMEWORK_ROOT) {
  return root.split(sep).includes("node_modules");
}

/** `npm pack`s the framework checkout into `dest`; returns the tarball's file name. */
export function packInto(dest) {
  mkdirSync(dest, { recursive: true });
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: FRAMEWORK_ROOT, encoding: "utf8", shell: process.platform === "win32" });
  if (r.status !== 0) throw new CliError(`\`npm pack\` of the framework failed (exit ${r.status}):\n${r.stderr}`);
  const file = r.stdout.trim().split("\n").pop();
  if (!file?.endsWith(".tgz")) throw new CliError(`\`npm pack\` printed no tarball name:\n${r.stdout}${r.stderr}`);
  return file;
}

/**
 * The versions a generated app pins: the same tools, at the same ranges, that the framework
 * itself is built and tested with, so an app never runs a toolchain the framework has not.
 */
export function pinnedVersions(pkg = frameworkPackage()) {
  const all = { ...pkg.devDependencies, ...pkg.dependencies };
  const pick = (names) => Object.fromEntries(names.map((n) => {
    if (!all[n]) throw new CliError(`The framework's package.json does not list ${n}; cannot pin it for the app.`);
    return [n, all[n]];
  }));
  return {
    dependencies: pick(["drizzle-orm", "valibot"]),
    devDependencies: pick(["@cloudflare/vitest-plugin", "@cloudflare/workers-types", "drizzle-kit", "node", "typescript", "vitest", "wrangler"]),
    allowScripts: pkg.allowScripts,
  };
}
