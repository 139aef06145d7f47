import { AI, type AIManager } from "stratus/ai";
import { JOBS, type JobDispatcher } from "stratus/queue";

/**
 * The app's jobs and AI services, for the News object (a Durable Object has
 * env, not a request). Booting is memoised per isolate, so this costs one boot
 * per isolate; the import is lazy because the app's bootstrap imports this
 * component's module.
 */
export async function newsDesk(env: Cloudflare.Env): Promise<{ jobs: JobDispatcher; ai: AIManager }> {
  const { app } = await import("../../app/bootstrap");
  await app.boot(env);
  return { jobs: app.resolve(JOBS), ai: app.resolve(AI) };
}
