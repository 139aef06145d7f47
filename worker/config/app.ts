import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("app", (env) => {
  /** Where a request's id is read from (when a proxy or caller sent a valid one) and echoed. */
  const requestIdHeader = env.header("REQUEST_ID_HEADER", "x-request-id");
  return {
    name: env.string("APP_NAME", "Stratus"),
    env: env.string("APP_ENV", "production"),
    /** Stack traces and error causes reach responses only when this is on. */
    debug: env.bool("APP_DEBUG", false),
    url: env.string("APP_URL", "http://localhost:8787"),
    /** HMAC key for mount tokens and signed URLs. */
    key: env.required("APP_KEY", "generate one with `openssl rand -hex 32`, put it in .dev.vars locally and `wrangler secret put APP_KEY` in production"),
    http: {
      /** Largest request body accepted, in bytes. */
      maxBodyBytes: env.int("HTTP_MAX_BODY_BYTES", 1_048_576, { min: 1 }),
      requestIdHeader,
      /** Origins allowed cross-origin access; "*" allows any (credentials then never sent). */
      cors: {
        origins: env.list("CORS_ORIGINS", []),
        methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        headers: ["content-type", "authorization", requestIdHeader],
        /** Response headers scripts on allowed origins may read. */
        exposeHeaders: [requestIdHeader],
        credentials: env.bool("CORS_CREDENTIALS", false),
        maxAge: 600,
      },
    },
    log: {
      level: env.string("LOG_LEVEL", "info") as "debug" | "info" | "warn" | "error",
    },
  };
});
