// Baseline: the same work as the Stratus stack, written by hand in one function
// (request id, security headers, CORS for the allowed origin, JSON access log,
// path match, JSON response, problem+json 404).
const SECURITY = [
  ["cross-origin-opener-policy", "same-origin"],
  ["cross-origin-resource-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "strict-origin-when-cross-origin"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
];
const ID = /^[\w.:-]{1,128}$/;
const HELLO = /^\/hello\/([^/]+)$/;

export default {
  async fetch(request, env) {
    const start = performance.now();
    const url = new URL(request.url);
    const incoming = request.headers.get("x-request-id");
    const requestId = incoming && ID.test(incoming) ? incoming : crypto.randomUUID();
    const json = (data, status = 200, type = "application/json; charset=utf-8") =>
      new Response(JSON.stringify(data), { status, headers: { "content-type": type } });
    let res;
    const hello = request.method === "GET" ? HELLO.exec(url.pathname) : null;
    if (hello) res = json({ hello: decodeURIComponent(hello[1]) });
    else if (request.method === "GET" && url.pathname === "/health") res = json({ ok: true });
    else if (request.method === "GET" && url.pathname === "/") res = json({ name: "Stratus", env: env.APP_ENV });
    else res = json({ type: "about:blank", title: "Not Found", status: 404, requestId }, 404, "application/problem+json");
    const origin = request.headers.get("origin");
    if (origin !== null && origin === env.CORS_ORIGINS) {
      res.headers.set("access-control-allow-origin", origin);
      res.headers.set("access-control-expose-headers", "x-request-id");
      res.headers.set("vary", "origin");
    }
    for (const [k, v] of SECURITY) if (!res.headers.has(k)) res.headers.set(k, v);
    res.headers.set("x-request-id", requestId);
    console.log(JSON.stringify({
      level: "info", msg: "request", time: new Date().toISOString(), app: "Stratus", requestId,
      method: request.method, path: url.pathname, status: res.status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    }));
    return res;
  },
};
