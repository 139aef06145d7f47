import type { AppConfig } from "../config";
import type { Logger } from "../http/logger";
import type { Router } from "../routing/router";
import { token } from "./token";

/** Tokens the core itself provides. Feature areas declare their own beside their code. */
export const ENV = token<Cloudflare.Env>("env");
export const CONFIG = token<AppConfig>("config");
export const LOGGER = token<Logger>("logger");
export const ROUTER = token<Router>("router");
/** Request-scoped, set by identify() for a signed-in request: the user's id (live mounts bind it into their tokens). */
export const CURRENT_USER_ID = token<string>("currentUserId");
/** Request-scoped: the current execution context. */
export const EXECUTION_CONTEXT = token<ExecutionContext>("executionContext");

/** Handler for the Worker's `queue` entry point, bound by the queue provider. */
export interface QueueHandler {
  handle(batch: MessageBatch<unknown>, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void>;
}
export const QUEUE_HANDLER = token<QueueHandler>("queueHandler");

/** Handler for the Worker's `scheduled` entry point, bound by the schedule provider. */
export interface ScheduledHandler {
  handle(controller: ScheduledController, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void>;
}
export const SCHEDULED_HANDLER = token<ScheduledHandler>("scheduledHandler");
