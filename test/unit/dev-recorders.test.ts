import { describe, expect, it } from "vitest";
import { SeenInstances } from "../../worker/dev/instances";
import { RecentLogs } from "../../worker/dev/recent-logs";

describe("dashboard recorders", () => {
  it("keeps the last N log lines, newest first, and writes through to the real sink", () => {
    const logs = new RecentLogs(3);
    const through: string[] = [];
    const sink = logs.tee((line) => through.push(line));
    for (const n of [1, 2, 3, 4, 5]) sink(`line ${n}`, n === 5 ? "error" : "info");
    expect(logs.list()).toEqual([
      { level: "error", line: "line 5" },
      { level: "info", line: "line 4" },
      { level: "info", line: "line 3" },
    ]);
    expect(through).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"]);
  });

  it("lists instances newest first, once each, and forgets the oldest past its limit", () => {
    const seen = new SeenInstances(2);
    seen.record("counter", "a", 1);
    seen.record("demo", "b", 2);
    seen.record("counter", "a", 3);
    expect(seen.list()).toEqual([
      { component: "counter", key: "a", lastConnectAt: 3 },
      { component: "demo", key: "b", lastConnectAt: 2 },
    ]);
    seen.record("demo", "c", 4);
    expect(seen.list().map((i) => i.key)).toEqual(["c", "a"]);
  });
});
