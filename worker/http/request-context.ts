import type { AppConfig } from "../config";
import type { Container } from "../app/container";
import type { Token } from "../app/token";
import { EXECUTION_CONTEXT } from "../app/tokens";
import type { RequestContext, ValidInput } from "./context";
import type { Logger } from "./logger";
import { SessionNotStartedError } from "./session/errors";
import type { Session } from "./session/session";
import { SESSION_SLOT, type SessionSlot } from "./session/slot";
import { ANONYMOUS, IDENTITY_SLOT, type Identity, type IdentitySlot } from "../auth/identity";
import type { AuthUser } from "../auth/user";
import { STAMPED, TEMPLATE, type ResponseTemplate, type TemplateSlots } from "./response-template";

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The RequestContext the application builds for each request. A class, not a
 * literal, so the per-request cost stays small: the logger child and `locals`
 * are made only when used, and methods live on the prototype. Do not spread
 * it (`{ ...c }`): getters and methods would be lost.
 */
export class HttpContext implements RequestContext, TemplateSlots, SessionSlot, IdentitySlot {
  params: Record<string, string> = NO_PARAMS;
  // Declared here so every context has the same shape; set by the pipeline (see ResponseTemplate).
  [TEMPLATE]: ResponseTemplate | undefined = undefined;
  [STAMPED]: Response | undefined = undefined;
  [SESSION_SLOT]: Session | undefined = undefined;
  [IDENTITY_SLOT]: Identity | undefined = undefined;
  route?: string;
  readonly startedAt = performance.now();
  #valid: ValidInput | undefined;
  #log: Logger | undefined;
  #locals: Map<string, unknown> | undefined;
  #container: Container | undefined;

  constructor(
    public request: Request,
    readonly url: URL,
    readonly env: Cloudflare.Env,
    readonly ctx: ExecutionContext,
    /** The application container; this request's scope is made from it on first use (many routes resolve nothing). */
    private readonly root: Container,
    readonly config: AppConfig,
    readonly requestId: string,
    private readonly rootLog: Logger,
  ) {}

  get container(): Container {
    return (this.#container ??= this.root.createScope().value(EXECUTION_CONTEXT, this.ctx));
  }

  /** Validated input; most requests validate nothing, so the object is made on first use. */
  get valid(): ValidInput {
    return (this.#valid ??= {});
  }

  set valid(value: ValidInput) {
    this.#valid = value;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  get log(): Logger {
    return (this.#log ??= this.rootLog.child({ requestId: this.requestId }));
  }

  get locals(): Map<string, unknown> {
    return (this.#locals ??= new Map());
  }

  get session(): Session {
    const s = this[SESSION_SLOT];
    if (s === undefined) throw new SessionNotStartedError();
    return s;
  }

  /** Without identify() every request is a guest. */
  get identity(): Identity<AuthUser> {
    return (this[IDENTITY_SLOT] ?? ANONYMOUS) as Identity<AuthUser>;
  }

  get user(): AuthUser | undefined {
    return this.identity.user;
  }

  resolve<T>(token: Token<T>): T {
    return this.container.resolve(token);
  }
}
