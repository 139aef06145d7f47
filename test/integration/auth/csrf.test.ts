import { describe, expect, it } from "vitest";
import { csrf, csrfField } from "../../../worker/http/csrf/index";
import { session } from "../../../worker/http/session/index";
import { renderToString } from "../../../worker/templating/html";
import type { Router } from "../../../worker/routing/router";
import { browser } from "./support";

const routes = (r: Router) => {
  r.get("/form", (c) => new Response(renderToString(csrfField(c)), { headers: { "content-type": "text/html" } }));
  r.get("/token", (c) => ({ token: c.session.token() }));
  r.post("/live/counter/main/token", () => ({ refreshed: true }));
  r.post("/live/counter/main", () => ({ other: true }));
  r.post("/submit", async (c) => ({ got: Object.fromEntries(await c.request.formData()) }));
  for (const m of ["put", "patch", "delete"] as const) r[m]("/thing", () => ({ ok: true }));
};

const ORIGIN = "https://app.test";
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

async function started() {
  const b = browser({ middleware: [session(), csrf()], routes });
  const { token } = (await (await b.fetch("/token")).json()) as { token: string };
  expect(b.cookie).toBeDefined();
  return { b, token };
}

describe("csrf()", () => {
  it("csrfField renders the hidden _token input bound to the session", async () => {
    const { b, token } = await started();
    const markup = await (await b.fetch("/form")).text();
    expect(markup).toBe(`<input type="hidden" name="_token" value="${token}">`);
  });

  it("accepts a same-origin form post with _token, and the handler still reads the body", async () => {
    const { b, token } = await started();
    const res = await b.fetch("/submit", { method: "POST", headers: { origin: ORIGIN }, body: form({ _token: token, name: "ada" }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { _token: token, name: "ada" } });
  });

  it("accepts the X-CSRF-Token header on PUT, PATCH and DELETE", async () => {
    const { b, token } = await started();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const res = await b.fetch("/thing", { method, headers: { origin: ORIGIN, "x-csrf-token": token } });
      expect(res.status, method).toBe(200);
    }
  });

  it("a missing token is a 403 problem", async () => {
    const { b } = await started();
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const res = await b.fetch(method === "POST" ? "/submit" : "/thing", { method, headers: { origin: ORIGIN } });
      expect(res.status, method).toBe(403);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = (await res.json()) as { type: string; detail: string };
      expect(body.type).toBe("https://stratus.dev/problems/csrf");
      expect(body.detail).toContain("missing");
    }
  });

  it("a wrong token, or another session's token, is a 403 problem", async () => {
    const { b } = await started();
    const other = await started();
    for (const bad of ["nope", other.token]) {
      const res = await b.fetch("/thing", { method: "PUT", headers: { origin: ORIGIN, "x-csrf-token": bad } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain("does not match");
    }
  });

  it("a cross-origin request is a 403 even with the right token", async () => {
    const { b, token } = await started();
    const cases: Record<string, string>[] = [
      { origin: "https://evil.test" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of cases) {
      const res = await b.fetch("/thing", { method: "DELETE", headers: { ...headers, "x-csrf-token": token } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain("another site");
    }
  });

  it("an HTML form post that fails gets a page saying the form expired", async () => {
    const { b } = await started();
    const res = await b.fetch("/submit", { method: "POST", headers: { origin: ORIGIN, accept: "text/html,*/*" }, body: form({ _token: "stale" }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("This form has expired");
  });

  it("a tampered session cookie gets a fresh session whose token no old form carries: 403", async () => {
    const { b, token } = await started();
    const res = await b.fetch("/thing", { method: "PUT", headers: { origin: ORIGIN, "x-csrf-token": token, cookie: "stratus_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } });
    expect(res.status).toBe(403);
  });

  it("requests without the session cookie (API token callers) are exempt", async () => {
    const { b } = await started();
    const res = await b.fetch("/thing", { method: "DELETE", headers: { cookie: "other=1", authorization: "Bearer abc", origin: "https://elsewhere.test" } });
    expect(res.status).toBe(200);
  });

  it("safe methods are never checked", async () => {
    const { b } = await started();
    expect((await b.fetch("/token", { headers: { origin: "https://evil.test" } })).status).toBe(200);
  });

  it("leaves only the live client's token refresh alone (it checks Origin and a signed mount token itself)", async () => {
    const { b } = await started();
    expect((await b.fetch("/live/counter/main/token", { method: "POST", headers: { origin: ORIGIN } })).status).toBe(200);
    expect((await b.fetch("/live/counter/main", { method: "POST", headers: { origin: ORIGIN } })).status).toBe(403);
  });
});
