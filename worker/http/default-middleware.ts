import type { Middleware } from "./compose";
import { accessLog } from "./middleware/access-log";
import { bodyLimit } from "./middleware/body-limit";
import { cors } from "./middleware/cors";
import { requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";

/**
 * The global stack an app starts from, outermost first. Errors become
 * responses at the layer that threw, so every layer above (ids, logs,
 * security headers, CORS) still sees and marks them.
 */
export function defaultMiddleware(): Middleware[] {
  return [requestId(), accessLog(), securityHeaders(), cors(), bodyLimit()];
}
