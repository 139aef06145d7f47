// The bench Worker: the framework's Application with the database and cache providers, and one
// route per read path so the three are measured through the same router, container and middleware.
import { Application } from "../../worker/app/application";
import { defineModule } from "../../worker/app/module";
import { cacheProvider } from "../../worker/cache/provider";
import { CACHE_MANAGER } from "../../worker/cache/tokens";
import { databaseProvider } from "../../worker/db/provider";
import { ARTICLES } from "../../worker/db/tokens";

const app = new Application({
  modules: [
    defineModule({
      name: "bench",
      providers: [databaseProvider, cacheProvider],
      routes(r) {
        r.get("/d1/:id", (c) => c.resolve(ARTICLES).findOrFail(c.params.id));
        for (const driver of ["memory", "kv", "tiered"] as const) {
          r.get(`/${driver}/:id`, (c) =>
            c.resolve(CACHE_MANAGER).store(driver, c.ctx).remember(`bench:${c.params.id}`, 300, async () => JSON.parse(JSON.stringify(await c.resolve(ARTICLES).findOrFail(c.params.id)))),
          );
        }
      },
    }),
  ],
});

export default { fetch: (req, env, ctx) => app.fetch(req, env, ctx) } satisfies ExportedHandler<Env>;
