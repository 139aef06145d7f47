import { html, raw, RenderEngine } from "stratus/html";

/**
 * The forms demo's layout: the runtime script, a flash region, and the few
 * rules that style live states with CSS alone (pending, dirty, errors, progress).
 */
const STYLE = `
body{font:16px/1.4 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
nav a{margin-right:1rem}
label{display:block;margin:.6rem 0 .2rem}
.error{color:#b00;font-size:.9em}
[data-modified]{outline:2px solid #e9b400}
.live-pending [data-live-pending]{opacity:.5;cursor:progress}
[data-flash] [data-level]{padding:.4rem .6rem;margin:.3rem 0;border-radius:4px;background:#eef}
[data-flash] [data-level=success]{background:#dfd}[data-flash] [data-level=error]{background:#fdd}
[data-upload-preview] img{max-width:6rem;max-height:6rem;margin:.2rem}
.tall{height:220vh;background:linear-gradient(#fff,#eef)}
`;

/** The demo's links between its pages, for one key: plain links that data-navigate swaps in place. */
export const formsNav = (key: string) =>
  html`<nav data-navigate><a id="nav-form" href="/forms/${key}">Form</a><a id="nav-one" href="/forms/${key}/pages/one">Page one</a><a id="nav-two" href="/forms/${key}/pages/two">Page two</a><a id="nav-off" data-navigate="false" href="/forms/${key}/pages/one">Page one (full load)</a></nav>`;

export const formsEngine = new RenderEngine({ defaultLayout: "forms" });
formsEngine.layouts.register(
  "forms",
  ({ title, content }) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>${raw(STYLE)}</style>
<script src="/stratus/client.js" defer></script><script src="/forms/hooks.js" defer></script></head>
<body><div data-flash="6000" id="flash"></div>
<h1>${title}</h1>${content}</body></html>`,
);
