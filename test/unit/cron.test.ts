import { describe, expect, it } from "vitest";
import { assertCron } from "../../worker/schedule/cron";

describe("assertCron", () => {
  it("accepts what Cron Triggers accept and normalises spacing", () => {
    for (const c of ["*/5 * * * *", "0 3 * * MON-FRI", "0,30 9-17 * * 1", "0 0 L * *", "0 0 * JAN,JUL SUN", "15 10 ? * 5#3"]) {
      expect(assertCron(c)).toBe(c);
    }
    expect(assertCron("  */5   * * *  * ")).toBe("*/5 * * * *");
  });

  it("names the bad field", () => {
    expect(() => assertCron("* * * *")).toThrow(/5 fields/);
    expect(() => assertCron("* 24 * * *")).toThrow(/invalid hour field "24"/);
    expect(() => assertCron("* * 0 * *")).toThrow(/invalid day of month field "0"/);
    expect(() => assertCron("*/0 * * * *")).toThrow(/invalid minute field/);
    expect(() => assertCron("* * * 13 *")).toThrow(/invalid month field/);
  });
});
