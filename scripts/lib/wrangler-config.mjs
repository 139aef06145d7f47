// wrangler.toml as the scripts see it: parsed structurally (never by regex) and, for a named
// environment, the view wrangler itself deploys (inheritable keys from the top level, the rest
// only from the environment).
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

/** Keys wrangler never inherits into an `[env.<name>]` block: the environment states them or lacks them. */
const NOT_INHERITED = ["vars", "d1_databases", "kv_namespaces", "queues", "durable_objects", "ai", "secrets", "services", "r2_buckets"];

export function readWranglerConfig(path = "wrangler.toml") {
  return parse(readFileSync(path, "utf8"));
}

/** The configuration wrangler uses for `--env <env>` (the top level when env is undefined). */
export function resolveEnv(config, env) {
  if (env === undefined) return config;
  const block = config.env?.[env];
  if (!block) {
    const known = Object.keys(config.env ?? {});
    throw new Error(`wrangler.toml has no [env.${env}]${known.length ? ` (environments: ${known.join(", ")})` : ""}.`);
  }
  const inherited = Object.fromEntries(Object.entries(config).filter(([k]) => k !== "env" && !NOT_INHERITED.includes(k)));
  return { ...inherited, ...block, name: block.name ?? `${config.name}-${env}` };
}

/** The Worker entry module wrangler bundles (`main`), relative to the config file. */
export function entryModule(config) {
  if (typeof config.main !== "string") throw new Error("wrangler.toml has no `main` (the Worker entry module).");
  return config.main;
}
