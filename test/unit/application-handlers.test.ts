import { describe, expect, it } from "vitest";
import { testApp } from "../support/app";

describe("an Application as the Worker's default export", () => {
  it("carries fetch, queue and scheduled as own properties, bound to it (workerd does not look on the prototype)", () => {
    const t = testApp();
    const handlers = t.app as unknown as Record<string, unknown>;
    for (const name of ["fetch", "queue", "scheduled"]) {
      expect(Object.hasOwn(t.app, name), name).toBe(true);
      expect(typeof handlers[name]).toBe("function");
    }
  });
});
