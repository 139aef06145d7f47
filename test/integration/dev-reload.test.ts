import { describe, expect, it } from "vitest";
import { devDashboardModule } from "../../worker/dev/module";
import { testApp } from "../support/app";

const pageRoutes = { routes: (r: import("../../worker/routing/router").Router) => {
  r.get("/page", () => new Response("<!doctype html><html><head><title>t</title></head><body>hi</body></html>", { headers: { "content-type": "text/html; charset=utf-8" } }));
  r.get("/data", () => ({ ok: true }));
} };

async function firstEvent(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}

describe("development reload signal", () => {
  it("puts the reload script into HTML pages in development, and nothing else", async () => {
    const { fetch } = testApp({ modules: [devDashboardModule()], ...pageRoutes, env: { APP_ENV: "development" } });
    const page = await (await fetch("/page")).text();
    const build = /<title>t<\/title><script src="\/__stratus\/reload.js" data-build="([0-9a-f-]{36})" defer><\/script><\/head>/.exec(page)?.[1];
    expect(build).toBeDefined();
    // The stream names the same build the page was served by.
    expect(await firstEvent(await fetch("/__stratus/reload"))).toContain(`data: ${build}\n`);
    expect(await (await fetch("/data")).json()).toEqual({ ok: true });
    const script = await fetch("/__stratus/reload.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain('new EventSource("/__stratus/reload")');
  });

  it("streams the build id, the same one to every connection of an isolate", async () => {
    const { fetch } = testApp({ modules: [devDashboardModule()], env: { APP_ENV: "development" } });
    const a = await fetch("/__stratus/reload");
    expect(a.headers.get("content-type")).toBe("text/event-stream");
    const first = await firstEvent(a);
    expect(first).toMatch(/^retry: \d+\ndata: [0-9a-f-]{36}\n\n$/);
    expect(await firstEvent(await fetch("/__stratus/reload"))).toBe(first);
  });

  it("is absent in production: no script in pages, and both routes are 404 problems", async () => {
    const { fetch } = testApp({ modules: [devDashboardModule()], ...pageRoutes, env: { APP_ENV: "production" } });
    expect(await (await fetch("/page")).text()).not.toContain("__stratus");
    for (const path of ["/__stratus/reload", "/__stratus/reload.js"]) {
      const res = await fetch(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
