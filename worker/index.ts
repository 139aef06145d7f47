/**
 * `stratus`: the application core. Everything an app needs to boot, route,
 * configure and answer HTTP; the feature areas have entry points of their own
 * (`stratus/live`, `stratus/html`, `stratus/db`, `stratus/cache`,
 * `stratus/queue`, `stratus/events`, `stratus/ai`, `stratus/schedule`,
 * `stratus/testing`). Nothing else is a supported import path.
 */
export { Application, type ApplicationOptions } from "./app/application";
export { defineModule, type Module } from "./app/module";
export type { ServiceProvider } from "./app/service-provider";
export { token, type Token } from "./app/token";
export { Container, MissingBindingError, CircularDependencyError, type Factory } from "./app/container";
export { CONFIG, ENV, LOGGER, ROUTER, EXECUTION_CONTEXT } from "./app/tokens";
export { ConfigError, EnvReader, type ConfigDefinition } from "./app/config";
export { defineConfig, type AppConfig, type FrameworkConfig } from "./config/index";
export type { CacheDriver } from "./config/cache";

export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  TooManyRequestsError,
  BadGatewayError,
  type HttpErrorOptions,
  type FieldError,
} from "./http/errors";
export { problemResponse, PROBLEM_CONTENT_TYPE, type ProblemDetails } from "./http/problem";
export { compose, defineMiddleware, type Middleware, type MiddlewareHooks, type Next } from "./http/compose";
export * from "./http/middleware/index";
export { defaultMiddleware } from "./http/default-middleware";
export type { RequestContext, ValidInput } from "./http/context";
export { json, type HandlerResult, type Renderable } from "./http/respond";
export { withHeader, withHeaders } from "./http/headers";
export { readJson } from "./http/body";
export { Logger, type LogLevel, type LogFields } from "./http/logger";
export { mapErrors, type ErrorMapper } from "./http/error-mapping";
export { devDashboardModule } from "./dev/module";
export { Router, type Handler, type RouteOptions, type GroupOptions, type Method } from "./routing/router";
export type { RouteParams } from "./routing/params";
export { session, Session, CookieSessionStore, D1SessionStore, SessionNotStartedError, SessionTooLargeError, type SessionOptions, type SessionStore, type SessionRecord } from "./http/session/index";
export { csrf, csrfField, csrfToken, CsrfError, type CsrfOptions } from "./http/csrf/index";
export * from "./auth/index";
