/**
 * Sets headers on a response, copying it first when its headers are immutable
 * (responses from `fetch()` or the Cache API). Returns the response to use.
 */
export function withHeaders(res: Response, entries: readonly (readonly [string, string])[], keepExisting = false): Response {
  try {
    applyHeaders(res.headers, entries, keepExisting);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    applyHeaders(copy.headers, entries, keepExisting);
    return copy;
  }
}

/** One header, set in place (or on a copy, as withHeaders); no arrays built on the way. */
export function withHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set(name, value);
    return copy;
  }
}

function applyHeaders(headers: Headers, entries: readonly (readonly [string, string])[], keepExisting: boolean): void {
  for (const [name, value] of entries) {
    if (keepExisting && headers.has(name)) continue;
    headers.set(name, value);
  }
}

/** Adds a token to a comma-separated header (Vary) without duplicating it. */
export function appendToken(res: Response, name: string, token: string): Response {
  const current = res.headers.get(name);
  if (current === null) return withHeader(res, name, token);
  const present = current.split(",").some((t) => t.trim().toLowerCase() === token.toLowerCase() || t.trim() === "*");
  return present ? res : withHeader(res, name, `${current}, ${token}`);
}
