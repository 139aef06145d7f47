import { describe, expect, it } from "vitest";
import { Logger, type LogLevel } from "../../worker/http/logger";

function capture(level: LogLevel = "info", fields = {}) {
  const lines: { level: LogLevel; entry: Record<string, unknown> }[] = [];
  const log = new Logger(level, fields, (line, l) => lines.push({ level: l, entry: JSON.parse(line) as Record<string, unknown> }));
  return { log, lines };
}

describe("Logger", () => {
  it("writes one JSON object per line with the bound and the call's fields", () => {
    const { log, lines } = capture("info", { app: "Stratus" });
    log.child({ requestId: "r-1" }).info("request", { method: "GET", status: 200, note: 'quote " and \\ slash' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.entry).toMatchObject({ level: "info", msg: "request", app: "Stratus", requestId: "r-1", method: "GET", status: 200, note: 'quote " and \\ slash' });
    expect(Date.parse(lines[0]!.entry.time as string)).not.toBeNaN();
  });

  it("lets a call's field win over a bound one, as a merge would", () => {
    const { log, lines } = capture("info", { component: "a" });
    log.info("x", { component: "b" });
    expect(lines[0]!.entry.component).toBe("b");
  });

  it("serialises errors with name, message and stack", () => {
    const { log, lines } = capture();
    log.child({ requestId: "r-2" }).error("boom", { error: new TypeError("bad") });
    expect(lines[0]!.level).toBe("error");
    expect(lines[0]!.entry).toMatchObject({ requestId: "r-2", error: { name: "TypeError", message: "bad" } });
    expect(String((lines[0]!.entry.error as { stack: string }).stack)).toContain("TypeError");
  });

  it("drops lines below its level and omits undefined fields", () => {
    const { log, lines } = capture("warn");
    log.info("hidden");
    log.warn("shown", { gone: undefined });
    expect(lines.map((l) => l.entry.msg)).toEqual(["shown"]);
    expect("gone" in lines[0]!.entry).toBe(false);
  });

  it("children of children carry every bound field once; a child's own value replaces its parent's", () => {
    const raw: string[] = [];
    const root = new Logger("info", { app: "Stratus" }, (line) => raw.push(line));
    root.child({ requestId: "r-3" }).child({ component: "news" }).info("a");
    root.child({ requestId: "r-4" }).child({ requestId: "r-5" }).info("b");
    root.child({}).info("c");
    const entries = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({ app: "Stratus", requestId: "r-3", component: "news" });
    expect(entries[1]).toMatchObject({ requestId: "r-5" });
    // The overridden key is not written twice.
    expect(raw[1]!.match(/"requestId"/g)).toHaveLength(1);
    expect(raw[2]).not.toContain(",,");
    expect(entries[2]).toMatchObject({ app: "Stratus", msg: "c" });
  });

  it("a child of a logger binding an object writes it whole; fields shows the merge", () => {
    const raw: string[] = [];
    const root = new Logger("info", { app: "Stratus", build: { sha: "abc" } }, (line) => raw.push(line));
    const child = root.child({ requestId: "r-6", app: "Other" });
    child.info("d", { status: 200 });
    expect(JSON.parse(raw[0]!)).toMatchObject({ app: "Other", build: { sha: "abc" }, requestId: "r-6", status: 200 });
    expect(child.fields).toEqual({ app: "Other", build: { sha: "abc" }, requestId: "r-6" });
    // The child binds nothing onto its parent.
    root.info("e");
    expect(JSON.parse(raw[1]!)).toEqual({ level: "info", msg: "e", time: expect.any(String), app: "Stratus", build: { sha: "abc" } });
  });
});
