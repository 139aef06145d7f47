import { describe, expect, it } from "vitest";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import { refreshDelay, tokenExpiry } from "../../client/token";

describe("browser runtime: mount-token renewal timing", () => {
  it("reads the expiry claim of a real token, and Infinity from a token it cannot read", async () => {
    const now = 1_700_000_000_000;
    const token = await signMountToken("unit-secret-0123456789abcdef0123456789", { component: "demo", key: "k", ttlSeconds: 3600 }, now);
    expect(tokenExpiry(token)).toBe(now + 3_600_000);
    expect(tokenExpiry("not-a-token")).toBe(Infinity);
  });

  it("renews a minute before a long-lived token expires, and four fifths into a short one", () => {
    expect(refreshDelay(3_600_000, 0)).toBe(3_540_000);
    expect(refreshDelay(10_000, 0)).toBe(8_000);
    expect(refreshDelay(-5_000, 0)).toBe(0);
  });
});
