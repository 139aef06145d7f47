import { parseArgs } from "node:util";
import { UsageError } from "./errors.mjs";

/** `node:util` parseArgs with a usage error (exit 2) instead of a stack trace for a bad option. */
export function args(argv, { options = {}, positionals = 0, usage }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}".\n\n${usage}`);
  }
  return parsed;
}
