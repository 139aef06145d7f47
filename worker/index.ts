import { app } from "./bootstrap";

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => app.queue(batch, env, ctx),
  scheduled: (controller, env, ctx) => app.scheduled(controller, env, ctx),
} satisfies ExportedHandler<Env>;

// Every Durable Object class the Worker binds is exported here.
export { Counter } from "../components/counter/counter";
export { Demo } from "../components/demo/demo";
export { Assistant } from "../components/assistant/assistant";
