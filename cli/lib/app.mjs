import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CliError } from "./errors.mjs";

/** The app's root: the nearest folder up from `from` with both wrangler.toml and package.json. */
export function appRoot(from = process.cwd()) {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "wrangler.toml")) && existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new CliError(`No Stratus app here: found no folder with wrangler.toml and package.json from ${from} up.`);
    dir = up;
  }
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Runs a command in the app with inherited output; a failure stops the CLI with that command named. */
export function run(root, command, args, changes, { quiet = false } = {}) {
  const shown = [command, ...args].join(" ");
  const r = spawnSync(command, args, { cwd: root, stdio: quiet ? "pipe" : ["ignore", "inherit", "inherit"], encoding: "utf8", shell: process.platform === "win32" });
  if (r.error) throw new CliError(`Could not run \`${shown}\`: ${r.error.message}`);
  if (r.status !== 0) throw new CliError(`\`${shown}\` failed (exit ${r.status}).${quiet ? `\n${r.stdout ?? ""}${r.stderr ?? ""}` : ""}`);
  changes?.ran(shown);
  return r.stdout ?? "";
}

/** Runs an npm script of the app if it defines one; says so when it does not. */
export function runScript(root, script, changes, args = [], { quiet = true } = {}) {
  const pkg = readJson(join(root, "package.json"));
  if (!pkg.scripts?.[script]) {
    process.stdout.write(`  skipped  npm run ${script} (the app's package.json has no "${script}" script)\n`);
    return false;
  }
  // Quiet: the tool's own output is shown only when it fails.
  run(root, "npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], changes, { quiet });
  return true;
}
