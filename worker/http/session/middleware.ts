import type { Middleware, Next } from "../compose";
import type { RequestContext } from "../context";
import { COOKIE_LIMIT_BYTES, readCookie, serializeCookie } from "./cookie";
import { CookieSessionStore } from "./cookie-store";
import { D1SessionStore } from "./d1-store";
import { SessionTooLargeError } from "./errors";
import type { KeyRing } from "./keys";
import { isLive, type Lifetimes } from "./record";
import { seal, unseal } from "./sealed";
import { Session } from "./session";
import { SESSION_SLOT, type SessionSlot } from "./slot";
import type { SessionStore } from "./store";

export interface SessionOptions {
  /** Overrides config/session.ts's driver (a custom store, or a test's). */
  store?: SessionStore;
}

const cookieStore = new CookieSessionStore();
/** How often an unchanged session is stored again to slide its expiry (it may expire up to this much early). */
const TOUCH_MS = 60_000;

/**
 * Starts `c.session`: loads it from the request's cookie (a cookie that does
 * not unseal, has expired or names a revoked session gives a fresh, empty
 * session) and, after the handler, saves it and sets the cookie again, which
 * slides the idle expiry. A session that is empty and came without a cookie
 * sets none, so anonymous API traffic stays cookie-free.
 */
export function session(options: SessionOptions = {}): Middleware {
  return function session(c, next) {
    const cfg = c.config.session;
    const incoming = readCookie(c.request.headers.get("cookie"), cfg.cookie);
    // Without a cookie there is nothing to unseal or read: no promise of our own unless the handler stores something.
    if (incoming === undefined) {
      const fresh = Session.fresh(Date.now());
      (c as RequestContext & SessionSlot)[SESSION_SLOT] = fresh;
      return next().then((res) => (fresh.isEmpty ? res : finish(c, options, fresh, res, undefined, false)));
    }
    return resume(c, options, incoming, next);
  };
}

async function resume(c: RequestContext, options: SessionOptions, incoming: string, next: Next): Promise<Response> {
  const cfg = c.config.session;
  const { ring, life } = settings(c);
  const store = options.store ?? storeFor(c);
  let current: Session | undefined;
  let sealedWithCurrentKey = false;
  const contents = await unseal(ring, cfg.cookie, incoming);
  const record = contents === undefined ? undefined : await store.read(contents.value);
  if (record && isLive(record, Date.now(), life)) {
    current = new Session(record, false);
    sealedWithCurrentKey = contents!.current;
  }
  current ??= Session.fresh(Date.now());
  (c as RequestContext & SessionSlot)[SESSION_SLOT] = current;
  return finish(c, options, current, await next(), incoming, sealedWithCurrentKey);
}

/** After the handler: stores the session and sets its cookie when anything changed (or the sliding expiry is due). */
async function finish(c: RequestContext, options: SessionOptions, current: Session, res: Response, incoming: string | undefined, sealedWithCurrentKey: boolean): Promise<Response> {
  // A WebSocket upgrade's response cannot be copied without losing its socket, and a socket has no use for a cookie.
  if (res.status === 101) return res;
  const { ring, life } = settings(c);
  const unchanged = current.replacedId === undefined && sealedWithCurrentKey && !current.needsSave(Date.now(), TOUCH_MS);
  const cookie = unchanged ? undefined : await commit(current, options.store ?? storeFor(c), incoming !== undefined, c, ring, life);
  if (cookie === undefined) return res;
  const out = mutable(res);
  out.headers.append("set-cookie", cookie);
  out.headers.append("vary", "Cookie");
  return out;
}

function settings(c: RequestContext): { ring: KeyRing; life: Lifetimes } {
  const cfg = c.config.session;
  return { ring: { current: c.config.app.key, previous: cfg.previousKeys }, life: { idleMs: cfg.idleMinutes * 60_000, absoluteMs: cfg.absoluteMinutes * 60_000 } };
}

/** The Set-Cookie for the session's end state, or undefined when nothing is to be sent. */
async function commit(s: Session, store: SessionStore, hadCookie: boolean, c: RequestContext, ring: KeyRing, life: Lifetimes): Promise<string | undefined> {
  const cfg = c.config.session;
  const attrs = { secure: cfg.secure, ...(cfg.domain ? { domain: cfg.domain } : {}) };
  if (s.replacedId !== undefined && !s.isNew) await store.destroy(s.replacedId);
  if (s.isEmpty) {
    if (!hadCookie) return undefined;
    if (!s.isNew) await store.destroy(s.id);
    return serializeCookie(cfg.cookie, "", { ...attrs, maxAge: 0 });
  }
  const now = Date.now();
  const record = s.toRecord(now);
  const expiresAt = Math.min(now + life.idleMs, record.createdAt + life.absoluteMs);
  const contents = await store.write(record, expiresAt, undefined);
  const value = await seal(ring, cfg.cookie, contents);
  const cookie = serializeCookie(cfg.cookie, value, { ...attrs, maxAge: (expiresAt - now) / 1000 });
  const bytes = new TextEncoder().encode(cookie).length;
  if (bytes > COOKIE_LIMIT_BYTES) throw new SessionTooLargeError(bytes, COOKIE_LIMIT_BYTES);
  return cookie;
}

function storeFor(c: RequestContext): SessionStore {
  const cfg = c.config.session;
  if (cfg.driver === "cookie") return cookieStore;
  const d1 = (c.env as unknown as Record<string, D1Database | undefined>)[cfg.d1.binding];
  if (!d1) throw new Error(`SESSION_DRIVER=d1 needs a D1 binding named ${cfg.d1.binding} (SESSION_D1_BINDING).`);
  return new D1SessionStore(d1);
}

/** Responses from fetch() or the Cache API have immutable headers. */
function mutable(res: Response): Response {
  try {
    res.headers.append("x-stratus-probe", "1");
    res.headers.delete("x-stratus-probe");
    return res;
  } catch {
    return new Response(res.body, res);
  }
}
