import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../worker/queue/backoff";

describe("backoffDelay", () => {
  it("doubles from the base without jitter, capped", () => {
    const curve = { base: 5, max: 60, jitter: "none" as const };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(curve, a, 3600))).toEqual([5, 10, 20, 40, 60, 60]);
  });

  it("caps at the configured maxBackoff and at Queues' 12 hours", () => {
    expect(backoffDelay({ base: 10, jitter: "none" }, 20, 300)).toBe(300);
    expect(backoffDelay({ base: 10, jitter: "none" }, 40, 1_000_000)).toBe(43_200);
  });

  it("keeps equal jitter between half and all of the curve", () => {
    expect(backoffDelay(8, 3, 3600, () => 0)).toBe(16);
    expect(backoffDelay(8, 3, 3600, () => 0.999)).toBe(32);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(8, 3, 3600);
      expect(d).toBeGreaterThanOrEqual(16);
      expect(d).toBeLessThanOrEqual(32);
    }
  });

  it("spreads full jitter from zero to the curve", () => {
    expect(backoffDelay({ base: 10, jitter: "full" }, 2, 3600, () => 0)).toBe(0);
    expect(backoffDelay({ base: 10, jitter: "full" }, 2, 3600, () => 0.5)).toBe(10);
  });

  it("reads an explicit list per try, repeating the last", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay([1, 30, 300], a, 3600))).toEqual([1, 30, 300, 300]);
    expect(backoffDelay([], 1, 3600)).toBe(0);
  });

  it("answers whole non-negative seconds", () => {
    expect(backoffDelay({ base: 0.3, jitter: "none" }, 1, 3600)).toBe(0);
    expect(backoffDelay({ base: -5, jitter: "none" }, 1, 3600)).toBe(0);
    expect(Number.isInteger(backoffDelay(3, 2, 3600))).toBe(true);
  });
});
