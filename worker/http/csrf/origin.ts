/**
 * Whether the request came from this app's own pages. Origin is sent by every
 * current browser on non-GET requests; Sec-Fetch-Site backs it up where Origin
 * is absent or "null". A request with neither (no browser sends such a
 * cookie-carrying POST) is left to the token check alone.
 */
export function sameOrigin(request: Request, url: URL, trusted: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== "null") return origin === url.origin || trusted.includes(origin);
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return origin === null;
}
