import { defineMiddleware, type Middleware } from "../http/compose";
import type { Router } from "../routing/router";
import { RELOAD_SCRIPT } from "./reload-script";

/**
 * The development reload signal. wrangler dev starts a new isolate when a source file changes, so an
 * id drawn once per isolate names the build. Made on first use: randomness is not available while
 * the Worker's global scope is evaluated.
 */
let buildId: string | undefined;
export const currentBuild = (): string => (buildId ??= crypto.randomUUID());

/** How often the open stream sends a comment: keeps it (and the request) alive between builds. */
const KEEPALIVE_MS = 15_000;

/** Puts the reload script into every HTML page (the dashboard module adds it in development only). */
export function devReloadInjector(): Middleware {
  return defineMiddleware({
    name: "devReload",
    response(c, res) {
      if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) return res;
      return new HTMLRewriter().on("head", { element: (head) => void head.append(`<script src="/__stratus/reload.js" data-build="${currentBuild()}" defer></script>`, { html: true }) }).transform(res);
    },
  });
}

/** An event stream that sends the build id, then stays open until the isolate goes (a restart drops it). */
function buildStream(): Response {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // `retry`: how soon the browser reconnects after the restart dropped the stream.
      controller.enqueue(encoder.encode(`retry: 250\ndata: ${currentBuild()}\n\n`));
      timer = setInterval(() => controller.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
    },
    cancel() {
      if (timer !== undefined) clearInterval(timer);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}

/** GET /__stratus/reload (the build stream) and /__stratus/reload.js (its browser half). */
export function devReloadRoutes(router: Router): void {
  router.get(
    "/__stratus/reload",
    () => buildStream(),
    { name: "stratus.reload" },
  );
  router.get(
    "/__stratus/reload.js",
    () => new Response(RELOAD_SCRIPT, { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" } }),
    { name: "stratus.reload.script" },
  );
}
