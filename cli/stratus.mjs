#!/usr/bin/env node
// The `stratus` command: `stratus new <dir>` and the generators of an app. One file per
// command under ./commands; each exports { summary, usage, run(argv) }.
import { CliError, UsageError } from "./lib/errors.mjs";

const COMMANDS = {
  new: () => import("./commands/new.mjs"),
  client: () => import("./commands/client.mjs"),
  "make:component": () => import("./commands/make-component.mjs"),
  "make:page": () => import("./commands/make-page.mjs"),
  "make:job": () => import("./commands/make-job.mjs"),
  "make:model": () => import("./commands/make-model.mjs"),
  "make:middleware": () => import("./commands/make-middleware.mjs"),
  routes: () => import("./commands/routes.mjs"),
  "jobs:failed": () => import("./commands/jobs-failed.mjs"),
  "jobs:retry": () => import("./commands/jobs-retry.mjs"),
};

async function help() {
  const lines = ["Usage: stratus <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(18)} ${(await load()).summary}`);
  lines.push("", "Run `stratus <command> --help` for a command's options.");
  return lines.join("\n");
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write((await help()) + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const { readFileSync } = await import("node:fs");
    process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`Unknown command "${name}".\n\n${await help()}`);
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  await command.run(rest);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err instanceof CliError) {
    process.stderr.write(`stratus: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write("Run `stratus --help` for usage.\n");
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`stratus: unexpected error\n${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  }
}
