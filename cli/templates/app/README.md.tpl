# {{name}}

A [Stratus](https://www.npmjs.com/package/stratus) app on Cloudflare Workers: one page, one live
component, one D1 table and one queued job, each with a test.

```sh
npm install && npm run dev     # http://localhost:8787 (local D1, KV, Queues, Durable Objects)
npm install && npm test        # type check, then the tests inside workerd
```

## Layout

| Path | What |
| --- | --- |
| `app/index.ts` | the Worker entry: `export default app` and every bound Durable Object class |
| `app/bootstrap.ts` | the Application: framework modules, the app's modules, middleware |
| `app/pages/` | pages (modules with routes); `app/views/layout.ts` is their shell |
| `app/jobs/` | queued jobs (`defineJob`) |
| `app/db/` | drizzle schema (`schema/`), repositories, their tokens and provider |
| `components/` | live components (one Durable Object class each) and their views |
| `config/` | app config; `config/components.ts` maps mount names to bindings |
| `migrations/` | D1 migrations written by `npm run db:generate` |
| `test/app/` | tests, run inside workerd by `@cloudflare/vitest-plugin` |

## Generators

| Command | Writes |
| --- | --- |
| `npx stratus make:component Name` | class, view, test; binding + migration tag in wrangler.toml, registry entry, export, env types |
| `npx stratus make:page Name` | a page module, its test; adds it to `modules` |
| `npx stratus make:job Name` | a job, its test; registers it in `jobs(...)` |
| `npx stratus make:model Name` | drizzle table, repository, test; then `npm run db:generate` |
| `npx stratus make:middleware Name` | a middleware and its test (`--global` adds it to the app) |
| `npx stratus routes` | lists routes with names and middleware |
| `npx stratus jobs:failed` / `jobs:retry <id>` | failed jobs through the admin API (set `QUEUE_ADMIN_TOKEN`) or `--local` D1 |
