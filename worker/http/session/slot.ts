import type { Session } from "./session";

/** Where the session() middleware leaves the request's session for `c.session`. */
export const SESSION_SLOT = Symbol.for("stratus.session");

export interface SessionSlot {
  [SESSION_SLOT]?: Session | undefined;
}
