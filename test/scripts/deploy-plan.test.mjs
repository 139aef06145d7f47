import { describe, expect, it } from "vitest";
import { databaseExists, deploySteps, environmentProblem, parseDeployArgs, parseQueueList, queuesToCreate, requiredQueues, secretProblem } from "../../scripts/deploy/plan.mjs";
import { readWranglerConfig, resolveEnv } from "../../scripts/lib/wrangler-config.mjs";

// What `wrangler queues list` prints (4.x): a table with a name column among ids and dates.
const LIST = `
 ⛅️ wrangler 4.164.0
────────────────────
┌──────────────────────────────────┬──────────────────┬─────────────────────────────┬─────────────────────────────┬───────────┬───────────┐
│ id                               │ name             │ created_on                  │ modified_on                 │ producers │ consumers │
├──────────────────────────────────┼──────────────────┼─────────────────────────────┼─────────────────────────────┼───────────┼───────────┤
│ 5a1f0c2e9b8d4e7f8a6b3c2d1e0f9a8b │ stratus-jobs     │ 2026-11-01T10:00:00.000000Z │ 2026-11-01T10:00:00.000000Z │ 1         │ 1         │
├──────────────────────────────────┼──────────────────┼─────────────────────────────┼─────────────────────────────┼───────────┼───────────┤
│ 7c3e2a1b0f9e8d7c6b5a4f3e2d1c0b9a │ other-app-queue  │ 2026-11-02T10:00:00.000000Z │ 2026-11-02T10:00:00.000000Z │ 0         │ 0         │
└──────────────────────────────────┴──────────────────┴─────────────────────────────┴─────────────────────────────┴───────────┴───────────┘
`;

describe("deploy plan: queues", () => {
  const config = readWranglerConfig("wrangler.toml");

  it("needs every produced, consumed and dead-letter queue of the chosen environment, once each", () => {
    expect(requiredQueues(config)).toEqual(["stratus-jobs", "stratus-jobs-dlq"]);
    expect(requiredQueues(resolveEnv(config, "staging"))).toEqual(["stratus-jobs-staging", "stratus-jobs-staging-dlq"]);
    expect(requiredQueues(resolveEnv(config, "production"))).toEqual(["stratus-jobs-production", "stratus-jobs-production-dlq"]);
  });

  it("counts a dead-letter queue that only a consumer names", () => {
    const queues = { consumers: [{ queue: "a", dead_letter_queue: "a-dlq" }] };
    expect(requiredQueues({ queues })).toEqual(["a", "a-dlq"]);
  });

  it("reads names from the name column only", () => {
    expect(parseQueueList(LIST)).toEqual(["stratus-jobs", "other-app-queue"]);
    expect(parseQueueList("No queues found.\n")).toEqual([]);
  });

  it("creates only the queues the account lacks, the dead-letter queue included", () => {
    expect(queuesToCreate(["stratus-jobs", "stratus-jobs-dlq"], parseQueueList(LIST))).toEqual(["stratus-jobs-dlq"]);
    expect(queuesToCreate(["stratus-jobs", "stratus-jobs-dlq"], [])).toEqual(["stratus-jobs", "stratus-jobs-dlq"]);
  });
});

describe("deploy plan: secrets", () => {
  const ok = (stdout) => ({ status: 0, stdout, stderr: "" });

  it("passes when APP_KEY is set", () => {
    expect(secretProblem(["APP_KEY"], ok('[{"name":"APP_KEY","type":"secret_text"}]'))).toBeNull();
  });

  it("stops with the command that sets a missing APP_KEY, for the chosen environment", () => {
    const message = secretProblem(["APP_KEY"], ok("[]"), "staging");
    expect(message).toContain("APP_KEY");
    expect(message).toContain("npx wrangler secret put APP_KEY --env staging");
  });

  it("treats a Worker that does not exist yet as having no secrets", () => {
    const missing = { status: 1, stdout: "", stderr: "✘ [ERROR] This Worker does not exist on your account. [code: 10007]" };
    expect(secretProblem(["APP_KEY"], missing)).toContain("npx wrangler secret put APP_KEY");
  });

  it("reports any other failure (not logged in) as it is, not as a missing secret", () => {
    const message = secretProblem(["APP_KEY"], { status: 1, stdout: "", stderr: "You are not authenticated." });
    expect(message).toContain("wrangler login");
    expect(message).toContain("You are not authenticated.");
  });

  it("requires what wrangler.toml declares for each environment", () => {
    const config = readWranglerConfig("wrangler.toml");
    for (const env of [undefined, "staging", "production"]) expect(resolveEnv(config, env).secrets?.required).toEqual(["APP_KEY"]);
  });
});

describe("deploy plan: arguments and order", () => {
  it("accepts --env staging|production and passes other arguments on", () => {
    expect(parseDeployArgs(["--env", "staging"])).toEqual({ env: "staging", rest: [], allowDevEnv: false });
    expect(parseDeployArgs(["--env=production", "--minify"])).toEqual({ env: "production", rest: ["--minify"], allowDevEnv: false });
    expect(parseDeployArgs([])).toEqual({ env: undefined, rest: [], allowDevEnv: false });
    expect(() => parseDeployArgs(["--env", "prod"])).toThrow(/staging, production/);
    expect(() => parseDeployArgs(["--env"])).toThrow(/got nothing/);
  });

  it("migrates before the upload, except on a first deploy, where the upload creates the database", () => {
    expect(deploySteps({ databaseExists: true })).toEqual(["migrate", "deploy"]);
    expect(deploySteps({ databaseExists: false })).toEqual(["deploy", "migrate"]);
    expect(databaseExists('[{"uuid":"x","name":"stratus-staging"}]', "stratus-staging")).toBe(true);
    expect(databaseExists("[]", "stratus-staging")).toBe(false);
  });

  it("names a Worker per environment and refuses an unknown one", () => {
    const config = readWranglerConfig("wrangler.toml");
    expect(resolveEnv(config, "staging").name).toBe("stratus-staging");
    expect(resolveEnv(config, "production").vars.APP_ENV).toBe("production");
    expect(() => resolveEnv(config, "qa")).toThrow(/no \[env.qa\].*staging, production/);
  });
});

describe("deploy plan: environment", () => {
  const config = readWranglerConfig("wrangler.toml");

  it("refuses the development Worker, whose development-only routes would be public", () => {
    expect(environmentProblem(config, undefined, false)).toMatch(/APP_ENV is "development".*--env staging/s);
    expect(environmentProblem(config, undefined, true)).toBeNull();
    expect(parseDeployArgs(["--allow-dev-env"]).allowDevEnv).toBe(true);
  });

  it("lets staging and production go", () => {
    expect(environmentProblem(resolveEnv(config, "staging"), "staging", false)).toBeNull();
    expect(environmentProblem(resolveEnv(config, "production"), "production", false)).toBeNull();
  });
});
