import { html, RenderEngine } from "stratus/html";

/** Every page's shell: the live runtime script makes `live(...)` mounts interactive. */
export const pages = new RenderEngine({ defaultLayout: "app" });
pages.layouts.register(
  "app",
  ({ title, content }) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<script src="/stratus/client.js" defer></script></head>
<body><main><h1>${title}</h1>${content}</main></body></html>`,
);
