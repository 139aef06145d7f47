import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { devDashboardModule } from "../../worker/dev/module";
import { deliver, envelope } from "../support/batch";
import { Client, connectViaWorker, hello } from "../support/live";
import { testApp } from "../support/app";

const page = async (query = ""): Promise<string> => {
  const res = await exports.default.fetch(`http://localhost:8787/__stratus${query}`, { headers: { accept: "text/html" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  return res.text();
};

describe("/__stratus development dashboard", () => {
  it("is a 404 problem outside development and test", async () => {
    const { fetch } = testApp({ modules: [devDashboardModule()], env: { APP_ENV: "production" } });
    const res = await fetch("/__stratus");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("lists routes with their names and the global middleware", async () => {
    const body = await page();
    expect(body).toContain("<code>/live/:component/:key</code>");
    expect(body).toContain("stratus.dashboard");
    expect(body).toContain("requestId → accessLog → securityHeaders → cors → bodyLimit");
  });

  it("shows a component instance with its seq, events and sockets once a socket connected", async () => {
    const key = `dash-${crypto.randomUUID()}`;
    const res = await connectViaWorker("counter", key);
    const client = new Client(res.webSocket!);
    await hello(client);
    client.send({ type: "action", id: "a1", name: "increment", args: { by: 2 } });
    await client.until((c) => c.of("ack").length === 1);

    const body = await page();
    const row = new RegExp(`<tr data-instance="counter/${key}">.*?</tr>`, "s").exec(body)?.[0];
    expect(row).toBeDefined();
    expect(row).toContain("<td data-seq>1</td>");
    expect(row).toContain("<td data-events>1</td>");
    expect(row).toContain("<td data-sockets>1 (1 ready)</td>");
    client.close();
  });

  it("shows a failed job, and the refresh fragment carries it without the page shell", async () => {
    const e = envelope("dashboard.no-such-job", { n: 1 });
    await deliver([{ body: e }]);
    const fragment = await page("?fragment=1");
    expect(fragment).toContain(`data-failed-job="${e.id}"`);
    expect(fragment).toContain("dashboard.no-such-job");
    expect(fragment).not.toContain("<!doctype html>");
    expect(await page()).toContain("setInterval");
  });

  it("shows recent log lines", async () => {
    await exports.default.fetch("http://localhost:8787/health");
    expect(await page()).toMatch(/&quot;path&quot;:&quot;\/health&quot;/);
  });
});
