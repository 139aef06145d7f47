/** Environments where development tools (the /__stratus dashboard, its recorders) are on. */
const DEV_ENVS = new Set(["development", "test"]);

export function isDevEnv(appEnv: string): boolean {
  return DEV_ENVS.has(appEnv);
}
