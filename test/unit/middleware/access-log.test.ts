import { afterEach, describe, expect, it, vi } from "vitest";
import { accessLog, requestId } from "../../../worker/http/middleware/index";
import { testApp } from "../../support/app";

interface Line {
  level: string;
  msg: string;
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

describe("accessLog middleware", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line per request with method, path, status, duration and request id", async () => {
    const t = testApp({
      middleware: [requestId(), accessLog()],
      routes: (r) => {
        r.get("/ok", () => ({ ok: true }));
        r.get("/fail", () => {
          throw new Error("nope");
        });
      },
    });
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, "error").mockImplementation(() => {});

    const ok = await t.fetch("/ok?x=1", { headers: { "x-request-id": "log-test-1" } });
    const fail = await t.fetch("/fail", { method: "GET" });
    const missing = await t.fetch("/missing", { method: "DELETE" });

    const logs = lines.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === "request");
    expect(logs.map((l) => [l.method, l.path, l.status])).toEqual([
      ["GET", "/ok", 200],
      ["GET", "/fail", 500],
      ["DELETE", "/missing", 404],
    ]);
    expect(logs.map((l) => l.requestId)).toEqual([
      "log-test-1",
      fail.headers.get("x-request-id"),
      missing.headers.get("x-request-id"),
    ]);
    expect(ok.status).toBe(200);
    for (const l of logs) {
      expect(l.level).toBe("info");
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(l.time)).not.toBeNaN();
    }
  });

  it("respects LOG_LEVEL", async () => {
    const t = testApp({ middleware: [accessLog()], env: { LOG_LEVEL: "warn" }, routes: (r) => r.get("/", () => "x") });
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    expect((await t.fetch("/")).status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });
});
