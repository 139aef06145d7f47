import { HttpError } from "../errors";

/**
 * The session no longer fits in its cookie. A programming error (too much put
 * into a cookie session), so it is loud: a 500 naming the sizes and the fix,
 * rather than a cookie the browser would silently drop.
 */
export class SessionTooLargeError extends HttpError {
  constructor(readonly bytes: number, readonly limit: number) {
    super(500, {
      title: "Session Too Large",
      type: "https://stratus.dev/problems/session-too-large",
      detail: `The session cookie would be ${bytes} bytes, over the ${limit}-byte cookie limit. Store less in the session, or set SESSION_DRIVER=d1 to keep it server-side.`,
      extensions: { bytes, limit },
    });
    this.name = "SessionTooLargeError";
  }
}

/** `c.session` read without the session() middleware in front of the route. */
export class SessionNotStartedError extends Error {
  constructor() {
    super("c.session needs the session() middleware: add it to the app's or the route's middleware.");
    this.name = "SessionNotStartedError";
  }
}
