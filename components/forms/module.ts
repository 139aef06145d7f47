import { defineModule, NotFoundError } from "stratus";
import { COMPONENTS, html } from "stratus/html";
import { SCHEDULER } from "stratus/schedule";
import { formsEngine, formsNav } from "./layout";

const PAGES = { one: "Page one", two: "Page two" } as const;
const DEBUG_ENVS = new Set(["development", "test"]);

/**
 * The forms demo: a profile form (per-viewer drafts, validation while typing,
 * loading and dirty states, an avatar upload, a hook, a nested counter) and two
 * plain pages linked with data-navigate that share a counter with it, so
 * navigating between them keeps that counter's socket.
 */
export const formsModule = defineModule({
  name: "forms",
  routes(router) {
    router.get(
      "/forms/:key?",
      (c) => {
        const key = c.params.key ?? "main";
        const live = c.resolve(COMPONENTS);
        return formsEngine.view(
          html`${formsNav(key)}<p>Open this page in two windows: each has its own draft; saved profiles are shared.</p>
${live.live("profiles", key, { attrs: { id: "form-mount" } })}<h2>A counter shared with the other pages</h2>${live.live("counter", key, { attrs: { id: "shared" } })}`,
          { title: "Profile form" },
        );
      },
      { name: "forms" },
    );
    router.get(
      "/forms/:key/pages/:page",
      (c) => {
        const { key, page } = c.params as { key: string; page: keyof typeof PAGES };
        if (!(page in PAGES)) throw new NotFoundError(`No page ${page}.`);
        const live = c.resolve(COMPONENTS);
        const shared = live.live("counter", key, { attrs: { id: "shared" } });
        const other = page === "two" ? html`<h2>Only on page two</h2>${live.live("counter", `${key}-two`, { attrs: { id: "only-two" } })}` : null;
        return formsEngine.view(
          html`${formsNav(key)}<p id="page-name">${PAGES[page]}</p><p>Shared counter: ${shared}</p>${other}
<div class="tall"></div><p id="bottom"><a id="bottom-link" data-navigate href="/forms/${key}/pages/${page === "one" ? "two" : "one"}">To the other page</a></p>`,
          { title: PAGES[page] },
        );
      },
      { name: "forms.page" },
    );
    // Development and test only, for the upload browser tests: run the housekeeping cron now (it
    // sweeps abandoned uploads), and say whether an upload's object and temporary marker are in R2.
    router.post("/__debug/forms/housekeeping", async (c) => {
      if (!DEBUG_ENVS.has(c.config.app.env)) throw new NotFoundError(`No route matches POST ${c.url.pathname}.`);
      const runs = await c.resolve(SCHEDULER).run({ cron: c.config.schedule.housekeepingCron, scheduledTime: Date.now() }, c.env, c.ctx);
      return { ran: runs.map((r) => ({ name: r.name, ok: r.ok })) };
    });
    router.get("/__debug/forms/uploads/:id", async (c) => {
      if (!DEBUG_ENVS.has(c.config.app.env)) throw new NotFoundError(`No route matches GET ${c.url.pathname}.`);
      const [object, marker] = await Promise.all([c.env.UPLOADS.head(`uploads/${c.params.id}`), c.env.UPLOADS.head(`tmp/${c.params.id}`)]);
      return { object: object?.size ?? null, marker: marker !== null };
    });
  },
});
