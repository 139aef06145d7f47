import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../cli/stratus.mjs", import.meta.url));

/** Runs a command to completion (no process outlives it); returns its exit code and output. */
export function sh(command, args, cwd, env = {}) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

/** The stratus CLI on this Node. */
export function stratus(args, cwd) {
  return sh(process.execPath, [CLI, ...args], cwd);
}
