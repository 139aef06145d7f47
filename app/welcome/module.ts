import { defineModule } from "stratus";
import { html, view } from "stratus/html";

/**
 * The reference application's front door: a page for a browser (what a new
 * user sees after `npm run dev`), a small JSON status for anything else.
 */
export const welcomeModule = defineModule({
  name: "welcome",
  routes(router) {
    router.get(
      "/",
      (c) => {
        const { name, env } = c.config.app;
        if (!(c.request.headers.get("accept") ?? "").includes("text/html")) return { name, env };
        return view(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${name}</title><link rel="stylesheet" href="/app.css"></head>
<body><main class="page"><h1>${name}</h1>
<p>Running in <code>${env}</code>. Live components, D1, KV, Queues and Durable Objects are all local.</p>
<ul>
<li><a href="${router.url("demo")}">Live demo</a>: a counter and a list; open it in two tabs.</li>
<li><a href="${router.url("assistant", { key: "main" })}">Assistant</a>: an AI answer streamed into a component.</li>
<li><a href="${router.url("news.index")}">News</a>: a live front page for many readers (stories in D1, AI summaries, "N reading now").</li>
<li><a href="${router.url("weather.index")}">Weather</a>: a live component fed by an outside API (Open-Meteo), refreshed while watched.</li>
<li><a href="${router.url("profile.mine")}">Your profile</a>: a user's live profile at <code>/users/:id</code> (sign in to edit yours; others see changes and "online now" live).</li>
<li><a href="${router.url("api.users.index")}">/api/users</a> and <a href="${router.url("api.articles.index")}">/api/articles</a>: the reference JSON API.</li>
<li><a href="${router.url("health")}">/health</a></li>
</ul></main></body></html>`);
      },
      { name: "home" },
    );
    router.get("/health", () => ({ ok: true }), { name: "health" });
    router.get("/hello/:name", (c) => ({ hello: c.params.name }), { name: "hello" });
  },
});
