import type { Application } from "stratus";
import { AI, type AIManager } from "stratus/ai";
import { JOBS, type JobDispatcher } from "stratus/queue";

let application: Application | undefined;

/**
 * The app whose jobs and AI the News object uses: the bootstrap hands it over
 * when it builds the app (a Durable Object has env, not a request or the
 * container). A static hand-over, not an import of the bootstrap from here:
 * a dynamic import would turn every module of the bundle into a lazy one.
 */
export function useNewsApp(app: Application): void {
  application = app;
}

/** The app's jobs and AI services for the News object; booting is memoised per isolate. */
export async function newsDesk(env: Cloudflare.Env): Promise<{ jobs: JobDispatcher; ai: AIManager }> {
  if (!application) throw new Error("News: no application; the bootstrap calls useNewsApp(app).");
  await application.boot(env);
  return { jobs: application.resolve(JOBS), ai: application.resolve(AI) };
}
