import { app } from "./bootstrap";

/** The Worker: fetch, queue and scheduled all go through the application. */
export default app;

// Every Durable Object class the Worker binds is exported here.
export { Counter } from "../components/counter/counter";
export { Relay, RelayHub, StratusRegistry, TopicRegistry } from "stratus/live";
