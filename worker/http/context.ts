import type { Container } from "../app/container";
import type { Token } from "../app/token";
import type { AppConfig } from "../config";
import type { Logger } from "./logger";
import type { Session } from "./session/session";
import type { Identity } from "../auth/identity";
import type { AuthUser } from "../auth/user";

/** Validated inputs, filled by the validation middleware. */
export interface ValidInput {
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

/**
 * Everything a handler or middleware needs for one request. Built once per
 * request; `container` is that request's scope.
 */
export interface RequestContext<P extends Record<string, string> = Record<string, string>> {
  /** Middleware may replace it (the body limit wraps the body stream). */
  request: Request;
  readonly url: URL;
  readonly env: Cloudflare.Env;
  readonly ctx: ExecutionContext;
  readonly container: Container;
  readonly config: AppConfig;
  readonly requestId: string;
  /** `performance.now()` when the request arrived; Workers' clock moves only across I/O. */
  readonly startedAt: number;
  readonly log: Logger;
  params: P;
  readonly query: URLSearchParams;
  /** Parsed and validated inputs (see http/middleware/validate). */
  valid: ValidInput;
  /** Per-request scratch space for middleware to hand values on. */
  readonly locals: Map<string, unknown>;
  /** The request's session; needs the session() middleware (throws SessionNotStartedError without it). */
  readonly session: Session;
  /** Who is asking (identify() sets it): the session's or the API token's user, undefined for a guest. */
  readonly user: AuthUser | undefined;
  /** The request's identity: user, how it authenticated, the token's abilities, `can`/`authorize`. */
  readonly identity: Identity<AuthUser>;
  /** Route name matched, when the route has one. */
  route?: string;
  resolve<T>(token: Token<T>): T;
}
