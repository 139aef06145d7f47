export { accessLog } from "./access-log";
export { bodyLimit } from "./body-limit";
export { cors, type CorsOptions } from "./cors";
export { jsonBody, type JsonBodyOptions } from "./json-body";
export { requestId } from "./request-id";
export { DEFAULT_SECURITY_HEADERS, securityHeaders, type SecurityHeaderOptions } from "./security-headers";
export { validate, type Schemas, type Validated, type ValidatedHandler } from "./validate";
