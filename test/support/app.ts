import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { Application } from "../../worker/app/application";
import type { ConfigDefinition } from "../../worker/app/config";
import { defineModule, type Module } from "../../worker/app/module";
import type { Middleware } from "../../worker/http/compose";
import type { Router } from "../../worker/routing/router";

export interface TestAppOptions {
  routes?: (router: Router) => void;
  middleware?: Middleware[];
  modules?: Module[];
  /** App config files, as `new Application({ config })` takes them. */
  config?: readonly ConfigDefinition[];
  /** Vars layered over the test env (`undefined` removes one). */
  env?: Record<string, string | undefined>;
}

export interface TestApp {
  app: Application;
  env: Cloudflare.Env;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** An Application built directly (not the reference Worker), served with a real execution context. */
export function testApp(options: TestAppOptions = {}): TestApp {
  const modules = [...(options.modules ?? [])];
  if (options.routes) modules.push(defineModule({ name: "test", routes: options.routes }));
  const app = new Application({ modules, middleware: options.middleware ?? [], ...(options.config ? { config: options.config } : {}) });
  const appEnv = { ...env, ...options.env } as Cloudflare.Env;
  return {
    app,
    env: appEnv,
    async fetch(path, init) {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(new URL(path, "https://app.test"), init), appEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
  };
}

/** A request body streamed in chunks with no Content-Length (as chunked uploads arrive). */
export function streamedBody(chunks: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  [key: string]: unknown;
}
