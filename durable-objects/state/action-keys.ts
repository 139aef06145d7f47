/**
 * Idempotency keys, one namespace per origin. A caller's id is always wrapped
 * in its scope, and the framework's own keys start with a byte no wrapped id
 * starts with, so no socket or RPC caller can send an id that pre-empts a
 * broadcast, an alarm run, or another caller's action.
 */

/** The framework's own keys (broadcast deliveries, alarm runs). */
export function internalKey(kind: "broadcast" | "alarm", id: string): string {
  return `!${kind}:${id}`;
}

/**
 * A socket's action id: scoped per user when the mount token names one,
 * otherwise per client (the id the browser runtime sends in hello, stable
 * across its reconnects), otherwise per connection.
 */
export function socketKey(scope: { user?: string; client?: string; connection: string }, id: string): string {
  if (scope.user !== undefined) return wrap("su", scope.user, id);
  if (scope.client !== undefined) return wrap("sc", scope.client, id);
  return wrap("sn", scope.connection, id);
}

/** An RPC `dispatch` id: scoped per user when the Worker names one, else one shared Worker scope. */
export function rpcKey(user: string | undefined, id: string): string {
  return user !== undefined ? wrap("ru", user, id) : `r:${id}`;
}

// The scope's length makes the key unambiguous whatever characters scope and id hold.
function wrap(kind: string, scope: string, id: string): string {
  return `${kind}${scope.length}:${scope}${id}`;
}
