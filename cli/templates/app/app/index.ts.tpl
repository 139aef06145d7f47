import { app } from "./bootstrap";

/**
 * The Worker: fetch, queue and scheduled all go through the application. Plain functions
 * rather than `export default app`: workerd finds a handler only as an own property of the
 * default export, and the Application's are class methods (queue() would never be called).
 */
export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => app.queue(batch, env, ctx),
  scheduled: (controller, env, ctx) => app.scheduled(controller, env, ctx),
} satisfies ExportedHandler<Cloudflare.Env>;

// Every Durable Object class the Worker binds is exported here.
export { Counter } from "../components/counter/counter";
