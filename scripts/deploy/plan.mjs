// The deploy script's decisions, free of I/O so they are tested without an account:
// which environment, which queues are missing, whether the app key is set, and in what order
// migrations and the upload run.

export const ENVIRONMENTS = ["staging", "production"];

/** `--env staging`, `--env=production`, or none (the top-level Worker). Other arguments go to `wrangler deploy`. */
export function parseDeployArgs(argv) {
  let env;
  let allowDevEnv = false;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--allow-dev-env") allowDevEnv = true;
    else if (arg === "--env" || arg === "-e") env = argv[++i] ?? "";
    else if (arg.startsWith("--env=")) env = arg.slice("--env=".length);
    else rest.push(arg);
  }
  if (env !== undefined && !ENVIRONMENTS.includes(env)) {
    throw new Error(`--env must be one of ${ENVIRONMENTS.join(", ")} (got ${env === undefined || env === "" ? "nothing" : JSON.stringify(env)}).`);
  }
  return { env, rest, allowDevEnv };
}

/** Every queue the Worker produces to, consumes from or dead-letters into, each once, in config order. */
export function requiredQueues(config) {
  const names = [];
  const add = (name) => typeof name === "string" && name && !names.includes(name) && names.push(name);
  for (const p of config.queues?.producers ?? []) add(p.queue);
  for (const c of config.queues?.consumers ?? []) {
    add(c.queue);
    add(c.dead_letter_queue);
  }
  return names;
}

/**
 * Queue names in `wrangler queues list` output: a box-drawn table whose header row names a
 * `name` column. Reads that column of every row, so ids and dates never pass for names.
 */
export function parseQueueList(output) {
  const rows = output
    .split("\n")
    .filter((line) => /^\s*[│|]/.test(line))
    .map((line) => line.split(/[│|]/).slice(1, -1).map((cell) => cell.trim()));
  const header = rows.findIndex((cells) => cells.includes("name"));
  if (header < 0) return [];
  const column = rows[header].indexOf("name");
  return rows.slice(header + 1).map((cells) => cells[column]).filter((name) => name);
}

export function queuesToCreate(required, existing) {
  const have = new Set(existing);
  return required.filter((name) => !have.has(name));
}

/**
 * Why deploying must stop for secrets, or null. `list` is the result of `wrangler secret list
 * --format json`: a Worker that does not exist yet has no secrets (its first deploy needs them too).
 */
export function secretProblem(required, list, env) {
  const put = (name) => `npx wrangler secret put ${name}${env ? ` --env ${env}` : ""}`;
  let present;
  if (list.status === 0) {
    let parsed;
    try {
      parsed = JSON.parse(list.stdout);
    } catch {
      return `Could not read \`wrangler secret list\` output:\n${list.stdout}`;
    }
    present = new Set(Array.isArray(parsed) ? parsed.map((s) => s?.name) : []);
  } else if (/not found|10007|does not exist/i.test(`${list.stdout}\n${list.stderr}`)) {
    present = new Set();
  } else {
    return `\`wrangler secret list\` failed (are you logged in? \`npx wrangler login\`):\n${list.stderr || list.stdout}`;
  }
  const missing = required.filter((name) => !present.has(name));
  if (missing.length === 0) return null;
  const lines = missing.map((name) => `  ${put(name)}${name === "APP_KEY" ? "   # a long random value: openssl rand -hex 32" : ""}`);
  return `The Worker needs secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")} before it can serve. Set ${missing.length > 1 ? "them" : "it"}, then deploy again:\n${lines.join("\n")}\n(\`wrangler secret put\` creates the Worker if it does not exist yet.)`;
}

/** Whether `wrangler d1 list --json` output holds the database. */
export function databaseExists(listJson, name) {
  const list = JSON.parse(listJson);
  return Array.isArray(list) && list.some((db) => db?.name === name);
}

/**
 * Migrations go first, so new code never meets an old schema; on a first deploy the database does
 * not exist until `wrangler deploy` provisions it, and nothing serves before then, so they go after.
 */
export function deploySteps({ databaseExists }) {
  return databaseExists ? ["migrate", "deploy"] : ["deploy", "migrate"];
}

/**
 * Why a deploy must not go out with this APP_ENV, or null. `development` and `test` switch on the
 * development-only routes (the /__stratus dashboard with its logs and failed jobs, the reload
 * stream), which must never be public; `--allow-dev-env` is for a deliberate preview Worker.
 */
export function environmentProblem(config, env, allowDevEnv) {
  const appEnv = config.vars?.APP_ENV;
  if (allowDevEnv || (appEnv !== "development" && appEnv !== "test")) return null;
  const where = env ? `[env.${env}] vars` : "the top-level [vars] (what `wrangler dev` uses)";
  return `APP_ENV is "${appEnv}" in ${where}, which would make development-only routes such as /__stratus public. Deploy an environment instead (\`npm run deploy -- --env staging\` or \`--env production\`), or pass --allow-dev-env for a deliberate preview.`;
}
