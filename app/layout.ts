import { html, RenderEngine } from "stratus/html";

/**
 * The reference app's page shell: one stylesheet (public/app.css), the live
 * runtime, a viewport for phones, and a header linking home. Pages of the
 * reference components render through it: `appEngine.view(content, { title })`.
 */
export const appEngine = new RenderEngine({ defaultLayout: "app" });
appEngine.layouts.register(
  "app",
  ({ title, content }) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/app.css"><script src="/stratus/client.js" defer></script></head>
<body><header class="site"><a href="/">Stratus</a></header><main class="page"><h1>${title}</h1>${content}</main></body></html>`,
);
