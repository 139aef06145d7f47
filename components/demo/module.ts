import { defineModule, NotFoundError } from "stratus";
import { COMPONENT_REGISTRY, COMPONENTS, html, raw, RenderEngine } from "stratus/html";
import type { Demo } from "./demo";

/** The demo's layout: a page shell with the runtime script and styles for live states. */
export const demoEngine = new RenderEngine({ defaultLayout: "demo" });
demoEngine.layouts.register(
  "demo",
  ({ title, content }) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>${raw(`[data-live-state=offline]{opacity:.6}[data-live-state=offline]::before{content:"offline, reconnecting...";display:block;color:#b00}.live-pending [data-live-pending]{opacity:.5;cursor:progress}`)}</style>
<script src="/stratus/client.js" defer></script></head>
<body><h1>${title}</h1>${content}</body></html>`,
);

const DEBUG_ENVS = new Set(["development", "test"]);

export const demoModule = defineModule({
  name: "demo",
  routes(router) {
    router.get(
      "/demo/:key?",
      (c) => {
        const key = c.params.key ?? "main";
        const live = c.resolve(COMPONENTS).live("demo", key, { attrs: { id: "mount-0", class: "demo-mount" } });
        return demoEngine.view(html`<p>Instance <code>${key}</code>. Open this page twice.</p>${live}`, { title: "Stratus demo" });
      },
      { name: "demo" },
    );
    // Development only: evicts a demo object, for the recovery e2e test.
    router.post("/__debug/evict/demo/:key", async (c) => {
      if (!DEBUG_ENVS.has(c.config.app.env)) throw new NotFoundError(`No route matches POST ${c.url.pathname}.`);
      const stub = c.resolve(COMPONENT_REGISTRY).stub("demo", c.params.key) as unknown as Rpc.DurableObjectBranded & Demo;
      try {
        await stub.debugEvict();
      } catch {
        // The abort also fails the call that caused it.
      }
      return { evicted: c.params.key };
    });
  },
});
