import { describe, expect, it } from "vitest";
import { checkParams, hashPassword, needsRehash, PASSWORD_HASHING, PasswordHashingError, PBKDF2_MAX_ITERATIONS, verifyPassword } from "../../worker/auth/password";

describe("password hashing", () => {
  it("the configured parameters are accepted by production Workers (PBKDF2 <= 100,000 iterations)", () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PASSWORD_HASHING.algorithm).toBe("pbkdf2-sha256");
    expect(PASSWORD_HASHING.iterations).toBeLessThanOrEqual(100_000);
    expect(() => checkParams(PASSWORD_HASHING)).not.toThrow();
  });

  it("stores algorithm and parameters in a PHC string and verifies", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$pbkdf2-sha256\$i=100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    // A fresh salt each time.
    expect(await hashPassword("correct horse battery staple")).not.toBe(stored);
  });

  it("needsRehash() is true when the parameters changed, false when they match", async () => {
    const weaker = { ...PASSWORD_HASHING, iterations: 50_000 };
    const old = await hashPassword("pw-123456", weaker);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, weaker)).toBe(false);
    expect(needsRehash(await hashPassword("pw-123456"))).toBe(false);
    expect(await verifyPassword("pw-123456", old)).toBe(true);
  });

  it("refuses iteration counts production would reject, with a clear error", async () => {
    await expect(hashPassword("pw", { ...PASSWORD_HASHING, iterations: 600_000 })).rejects.toThrow(PasswordHashingError);
    await expect(hashPassword("pw", { ...PASSWORD_HASHING, iterations: 600_000 })).rejects.toThrow(/production Workers reject more/);
    await expect(hashPassword("pw", { ...PASSWORD_HASHING, iterations: 1000 })).rejects.toThrow(PasswordHashingError);
  });

  it("a malformed or foreign hash verifies false and needs a rehash, without throwing", async () => {
    const good = await hashPassword("pw-123456");
    const over = good.replace("i=100000", "i=600000");
    for (const bad of ["", "plain", "$2b$10$abcdefghijklmnopqrstuv", "$pbkdf2-sha256$i=100000$!!$!!", over, good.slice(0, -5)]) {
      expect(await verifyPassword("pw-123456", bad), bad).toBe(false);
      expect(needsRehash(bad)).toBe(true);
    }
  });
});
