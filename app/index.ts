import { app } from "./bootstrap";

/** The Worker: fetch, queue and scheduled all go through the application. */
export default app;

// Every Durable Object class the Worker binds is exported here.
export { Counter } from "../components/counter/counter";
export { Demo } from "../components/demo/demo";
export { Assistant } from "../components/assistant/assistant";
// The framework's own objects the app binds (wrangler.toml TOPICS).
export { TopicRegistry } from "stratus/live";
export { Relay, StratusRegistry } from "stratus/live";
