// The same routes and middleware in Hono, with Hono's own middleware.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";

const app = new Hono();

app.use(
  requestId(),
  async (c, next) => {
    const start = performance.now();
    await next();
    console.log(JSON.stringify({
      level: "info", msg: "request", time: new Date().toISOString(), app: "Stratus", requestId: c.get("requestId"),
      method: c.req.method, path: c.req.path, status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    }));
  },
  secureHeaders(),
  cors({ origin: ["http://localhost:8787"], exposeHeaders: ["x-request-id"] }),
  bodyLimit({ maxSize: 1_048_576 }),
);
app.get("/", (c) => c.json({ name: "Stratus", env: c.env.APP_ENV }));
app.get("/health", (c) => c.json({ ok: true }));
app.get("/hello/:name", (c) => c.json({ hello: c.req.param("name") }));
app.notFound((c) => c.json({ type: "about:blank", title: "Not Found", status: 404 }, 404, { "content-type": "application/problem+json" }));

export default app;
