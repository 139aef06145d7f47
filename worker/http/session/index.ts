export { session, type SessionOptions } from "./middleware";
export { Session } from "./session";
export type { SessionStore } from "./store";
export type { SessionRecord } from "./record";
export { CookieSessionStore } from "./cookie-store";
export { D1SessionStore } from "./d1-store";
export { SessionNotStartedError, SessionTooLargeError } from "./errors";
