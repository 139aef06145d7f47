import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The deploy script against a stand-in `wrangler` on PATH that answers like an account with one
// queue, no database and (unless told) no secrets, and records every call. No account, no network.
const STANDIN = `#!/bin/sh
echo "$*" >> "$CALLS"
case "$1 $2" in
  "secret list") echo "\${SECRETS:-[]}";;
  "queues list") [ "$4" = "1" ] && printf '│ id │ name │\\n│ q1 │ stratus-jobs-staging │\\n';;
  "d1 list") echo "\${DATABASES:-[]}";;
esac
exit 0
`;

let dir;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function deploy(args, env = {}) {
  dir = mkdtempSync(join(tmpdir(), "stratus-deploy-test-"));
  writeFileSync(join(dir, "wrangler"), STANDIN);
  chmodSync(join(dir, "wrangler"), 0o755);
  const calls = join(dir, "calls");
  writeFileSync(calls, "");
  const r = spawnSync(process.execPath, ["scripts/deploy.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}`, CALLS: calls, ...env },
  });
  return { status: r.status, output: r.stdout + r.stderr, calls: readFileSync(calls, "utf8").trim().split("\n") };
}

describe("npm run deploy (against a stand-in wrangler)", () => {
  it("stops before creating or uploading anything when APP_KEY is not set", () => {
    const r = deploy(["--env", "staging"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("npx wrangler secret put APP_KEY --env staging");
    expect(r.calls).toEqual(["secret list --format json --env staging"]);
  });

  it("on a first deploy creates the missing dead-letter queue, uploads, then migrates the new database", () => {
    const r = deploy(["--env", "staging"], { SECRETS: '[{"name":"APP_KEY","type":"secret_text"}]' });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !c.startsWith("secret list") && !c.startsWith("queues list") && !c.startsWith("d1 list"))).toEqual([
      "queues create stratus-jobs-staging-dlq --env staging",
      "deploy --env staging",
      "d1 migrations apply DB --remote --env staging",
    ]);
  });

  it("migrates before the upload once the database exists", () => {
    const r = deploy(["--env=staging"], { SECRETS: '[{"name":"APP_KEY"}]', DATABASES: '[{"name":"stratus-staging"}]' });
    expect(r.status).toBe(0);
    const acting = r.calls.filter((c) => c.startsWith("d1 migrations") || c.startsWith("deploy"));
    expect(acting).toEqual(["d1 migrations apply DB --remote --env staging", "deploy --env staging"]);
  });

  it("refuses an environment wrangler.toml does not define", () => {
    const r = deploy(["--env", "qa"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("--env must be one of staging, production");
    expect(r.calls).toEqual([""]);
  });
});
