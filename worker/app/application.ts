import { frameworkConfig, type AppConfig } from "../config";
import { HttpContext } from "../http/request-context";
import { renderError } from "../http/error-handler";
import { Logger, defaultSink } from "../http/logger";
import { isDevEnv } from "../dev/environments";
import { recentLogs } from "../dev/recent-logs";
import { compose, type Middleware, type Respond } from "../http/compose";
import { middlewareName, Router, type RouteRecord } from "../routing/router";
import { loadConfig, type ConfigDefinition } from "./config";
import { Container } from "./container";
import type { Module } from "./module";
import type { ServiceProvider } from "./service-provider";
import { CONFIG, ENV, LOGGER, QUEUE_HANDLER, ROUTER, SCHEDULED_HANDLER } from "./tokens";
import type { Token } from "./token";

export interface ApplicationOptions {
  modules: readonly Module[];
  /** The app's config files (config/index.ts), loaded after the framework's; a file may override a framework key. */
  config?: readonly ConfigDefinition[];
  /** Global middleware, outermost first; runs for every request, 404s included. */
  middleware?: readonly Middleware[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

const DEFAULT_REQUEST_ID_HEADER = "x-request-id";

/** A well-formed incoming id (a proxy's or a caller's) is kept; otherwise a new one. */
function requestIdFor(request: Request, header: string): string {
  const incoming = request.headers.get(header);
  return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * The application: boots once per isolate (config, providers, routes), then
 * serves the Worker's fetch, queue and scheduled entry points.
 */
export class Application {
  readonly container = new Container();
  readonly router = new Router();
  readonly modules: readonly Module[];
  readonly #configFiles: readonly ConfigDefinition[];
  #middleware: Middleware[];
  #booting: Promise<void> | undefined;
  #config: AppConfig | undefined;
  #log = new Logger();
  /** From config once it loads; a request that fails before then still gets its id under the default name. */
  #requestIdHeader = DEFAULT_REQUEST_ID_HEADER;
  #pipeline: Respond | undefined;

  constructor(options: ApplicationOptions) {
    this.modules = options.modules;
    this.#configFiles = [...frameworkConfig, ...(options.config ?? [])];
    this.#middleware = [...(options.middleware ?? [])];
    // `export default app` is the Worker: workerd looks up a default export's handlers as its own
    // properties, so prototype methods alone leave queue() and scheduled() unseen under wrangler dev.
    for (const name of ["fetch", "queue", "scheduled"] as const) {
      Object.defineProperty(this, name, { value: this[name].bind(this), enumerable: true });
    }
  }

  get config(): AppConfig {
    if (!this.#config) throw new Error("The application has not booted yet.");
    return this.#config;
  }

  /** The global middleware, outermost first (for tooling such as the dashboard). */
  get middleware(): readonly Middleware[] {
    return this.#middleware;
  }

  get log(): Logger {
    return this.#log;
  }

  get booted(): boolean {
    return this.#config !== undefined && this.#pipeline !== undefined;
  }

  resolve<T>(token: Token<T>): T {
    return this.container.resolve(token);
  }

  /** Every route with all the middleware it runs by name, the global ones first: what `stratus routes` prints. */
  routeTable(): (Omit<RouteRecord, "middleware"> & { middleware: string[] })[] {
    const global = this.#middleware.map(middlewareName);
    return this.router.routes.map((r) => ({ method: r.method, path: r.path, name: r.name, middleware: [...global, ...r.middleware.map(middlewareName)] }));
  }

  /** Adds global middleware; only before boot, since the pipeline is built once. */
  use(...middleware: Middleware[]): this {
    if (this.#pipeline) throw new Error("Add middleware before the application boots.");
    this.#middleware.push(...middleware);
    return this;
  }

  /**
   * Boots once per isolate; concurrent first requests share one boot. Config
   * and registration run once: a failure there is permanent for the isolate (a
   * retry would register routes twice). A provider whose async `boot` failed
   * is booted again on the next request; the ones that succeeded are not.
   */
  boot(env: Cloudflare.Env): Promise<void> {
    this.#booting ??= this.#doBoot(env).catch((err: unknown) => {
      this.#booting = undefined;
      throw err;
    });
    return this.#booting;
  }

  #registration: { config: AppConfig; providers: ServiceProvider[] } | { error: unknown } | undefined;
  readonly #bootedProviders = new Set<ServiceProvider>();

  #register(env: Cloudflare.Env): { config: AppConfig; providers: ServiceProvider[] } {
    if (!this.#registration) {
      // A config error throws before anything is registered, so a later request may try again.
      const config = loadConfig(this.#configFiles, env as unknown as Record<string, unknown>) as unknown as AppConfig;
      try {
        // In development the dashboard (/__stratus) shows recent lines: the sink keeps a copy.
        this.#log = new Logger(config.app.log.level, { app: config.app.name }, isDevEnv(config.app.env) ? recentLogs.tee(defaultSink) : defaultSink);
        this.#requestIdHeader = config.app.http.requestIdHeader;
        this.container.value(ENV, env).value(CONFIG, config).value(LOGGER, this.#log).value(ROUTER, this.router);
        const providers = this.modules.flatMap((m) => m.providers ?? []);
        for (const p of providers) p.register(this);
        for (const m of this.modules) m.routes?.(this.router);
        this.#config = config;
        this.#registration = { config, providers };
      } catch (error) {
        this.#registration = { error };
      }
    }
    if ("error" in this.#registration) throw this.#registration.error;
    return this.#registration;
  }

  async #doBoot(env: Cloudflare.Env): Promise<void> {
    const { config, providers } = this.#register(env);
    for (const p of providers) {
      if (this.#bootedProviders.has(p)) continue;
      await p.boot?.(this);
      this.#bootedProviders.add(p);
    }
    const router = this.router;
    this.#pipeline = compose(this.#middleware, (c) => router.handle(c), (err, c) =>
      renderError(err, { url: c.url, requestId: c.requestId, log: c.log, debug: config.app.debug }),
    );
  }

  fetch(request: Request, env: Cloudflare.Env, ctx: ExecutionContext): Promise<Response> {
    // Not async: once booted, a request goes straight into the pipeline without an extra promise.
    const pipeline = this.#pipeline;
    if (!pipeline) return this.#bootThenFetch(request, env, ctx);
    const url = new URL(request.url);
    const c = new HttpContext(request, url, env, ctx, this.container, this.config, requestIdFor(request, this.#requestIdHeader), this.#log);
    // The pipeline renders its own errors; a Response made synchronously leaves already settled.
    try {
      return Promise.resolve(pipeline(c));
    } catch (err) {
      // Only an error renderer that itself failed gets here: keep fetch's contract of rejecting.
      return Promise.reject(err);
    }
  }

  async #bootThenFetch(request: Request, env: Cloudflare.Env, ctx: ExecutionContext): Promise<Response> {
    try {
      await this.boot(env);
    } catch (err) {
      const header = this.#requestIdHeader;
      const requestId = requestIdFor(request, header);
      const res = renderError(err, { url: new URL(request.url), requestId, log: this.#log.child({ requestId }), debug: false });
      res.headers.set(header, requestId);
      return res;
    }
    return this.fetch(request, env, ctx);
  }

  async queue(batch: MessageBatch<unknown>, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
    await this.boot(env);
    if (!this.container.has(QUEUE_HANDLER)) {
      this.#log.error("queue batch received but no queue handler is registered", { queue: batch.queue });
      batch.retryAll();
      return;
    }
    await this.container.resolve(QUEUE_HANDLER).handle(batch, env, ctx);
  }

  async scheduled(controller: ScheduledController, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
    await this.boot(env);
    if (!this.container.has(SCHEDULED_HANDLER)) {
      this.#log.warn("cron fired but no scheduled handler is registered", { cron: controller.cron });
      return;
    }
    await this.container.resolve(SCHEDULED_HANDLER).handle(controller, env, ctx);
  }
}
