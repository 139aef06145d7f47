import { app } from "./bootstrap";

/** The Worker: fetch, queue and scheduled all go through the application. */
export default app;

// Every Durable Object class the Worker binds is exported here.
export { Counter } from "../components/counter/counter";
export { Demo } from "../components/demo/demo";
export { Profiles } from "../components/forms/profile";
export { Assistant } from "../components/assistant/assistant";
export { Notepad } from "../components/notepad/notepad";
export { Weather } from "../components/weather/weather";
export { News } from "../components/news/news";
export { UserProfile } from "../components/user-profile/user-profile";
// The framework's own objects the app binds (wrangler.toml TOPICS, STRATUS_RELAY, STRATUS_REGISTRY, STRATUS_HUB).
export { Relay, RelayHub, StratusRegistry, TopicRegistry } from "stratus/live";
