import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../app/index";

const DAY = 24 * 60 * 60 * 1000;

/** The app's own cron, through the Worker's scheduled entry point, as Cloudflare fires it. */
async function fireCron(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await (app as unknown as ExportedHandler<Env>).scheduled!(createScheduledController({ cron: "*/5 * * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function ids(sql: string, prefix: string): Promise<string[]> {
  const { results } = await env.DB.prepare(sql).bind(`${prefix}%`).all<{ id: string }>();
  return results.map((r) => r.id).sort();
}

describe("the housekeeping cron prunes sign-in rows that can never be used again", () => {
  it("deletes API tokens revoked or expired over 30 days ago, expired remember-me and single-use tokens; keeps the rest", async () => {
    const now = Date.now();
    const p = `prune-${crypto.randomUUID().slice(0, 8)}-`;
    const api = env.DB.prepare("insert into api_tokens (id, user_id, name, token_hash, abilities, expires_at, revoked_at, created_at) values (?, 'u', 'n', 'h', '[]', ?, ?, ?)");
    const remember = env.DB.prepare("insert into remember_tokens (selector, validator_hash, user_id, created_at, expires_at) values (?, 'h', 'u', ?, ?)");
    const single = env.DB.prepare("insert into auth_tokens (id, purpose, user_id, created_at, expires_at) values (?, 'password-reset', 'u', ?, ?)");
    await env.DB.batch([
      api.bind(`${p}revoked-31d`, null, now - 31 * DAY, now - 60 * DAY),
      api.bind(`${p}revoked-29d`, null, now - 29 * DAY, now - 60 * DAY),
      api.bind(`${p}expired-31d`, now - 31 * DAY, null, now - 60 * DAY),
      api.bind(`${p}expired-29d`, now - 29 * DAY, null, now - 60 * DAY),
      api.bind(`${p}live-expiring`, now + DAY, null, now - DAY),
      api.bind(`${p}live-forever`, null, null, now - 400 * DAY),
      remember.bind(`${p}expired`, now - 31 * DAY, now - 1000),
      remember.bind(`${p}live`, now - DAY, now + 29 * DAY),
      single.bind(`${p}expired`, now - 2 * 60 * 60 * 1000, now - 1000),
      single.bind(`${p}live`, now - 1000, now + 60 * 60 * 1000),
    ]);

    await fireCron(now);

    expect(await ids("select id from api_tokens where id like ?", p)).toEqual([`${p}expired-29d`, `${p}live-expiring`, `${p}live-forever`, `${p}revoked-29d`]);
    expect(await ids("select selector as id from remember_tokens where selector like ?", p)).toEqual([`${p}live`]);
    expect(await ids("select id from auth_tokens where id like ?", p)).toEqual([`${p}live`]);

    // Two days on, the 29-day ones have passed 30 days too; the token that expired a day ago is kept
    // (listed on its owner's account page) until its own 30 days are up.
    await fireCron(now + 2 * DAY);
    expect(await ids("select id from api_tokens where id like ?", p)).toEqual([`${p}live-expiring`, `${p}live-forever`]);
    expect(await ids("select selector as id from remember_tokens where selector like ?", p)).toEqual([`${p}live`]);
    expect(await ids("select id from auth_tokens where id like ?", p)).toEqual([]);
  });
});
