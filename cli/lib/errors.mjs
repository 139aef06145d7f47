/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {
  exitCode = 2;
}

/** The command understood its input but cannot do it (file exists, not an app, a tool failed): exit code 1. */
export class CliError extends Error {
  exitCode = 1;
}
