import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, EnvReader, defineFrameworkConfig as defineConfig, loadConfig } from "../../worker/app/config";
import { testApp, type Problem } from "../support/app";

describe("config errors at boot", () => {
  beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it("a missing APP_KEY is a 500 problem naming the variable, even without debug", async () => {
    const t = testApp({ env: { APP_KEY: undefined }, routes: (r) => r.get("/", () => "x") });
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json<Problem>();
    expect(body.variable).toBe("APP_KEY");
    expect(body.detail).toContain("Missing required environment variable APP_KEY");
    expect(body).not.toHaveProperty("stack");
    expect(t.app.booted).toBe(false);
  });

  it.each([
    ["HTTP_MAX_BODY_BYTES", "lots", /must be an integer, got "lots"/],
    ["HTTP_MAX_BODY_BYTES", "0", /must be between 1 and/],
    ["APP_DEBUG", "maybe", /must be a boolean/],
    ["CORS_CREDENTIALS", "2", /must be a boolean/],
    ["REQUEST_ID_HEADER", "x request id", /must be an HTTP header name, got "x request id"/],
    ["CACHE_DRIVER", "redis", /CACHE_DRIVER must be one of memory, kv, cache-api, tiered, got "redis"/],
    ["SESSION_DRIVER", "kv", /SESSION_DRIVER must be one of cookie, d1, got "kv"/],
  ])("malformed %s=%s is named in the 500", async (name, value, message) => {
    const res = await testApp({ env: { [name]: value }, routes: (r) => r.get("/", () => "x") }).fetch("/");
    expect(res.status).toBe(500);
    const body = await res.json<Problem>();
    expect(body.variable).toBe(name);
    expect(body.detail).toMatch(message);
  });
});

describe("EnvReader", () => {
  const env = new EnvReader({ N: "42", B: "yes", L: " a, b ,,c ", EMPTY: "", OBJ: { x: 1 } });

  it("reads typed values with defaults", () => {
    expect(env.int("N", 1)).toBe(42);
    expect(env.int("MISSING", 7)).toBe(7);
    expect(env.bool("B", false)).toBe(true);
    expect(env.list("L", [])).toEqual(["a", "b", "c"]);
    expect(new EnvReader({ H: "X-Correlation-Id" }).header("H", "x-request-id")).toBe("x-correlation-id");
    expect(env.header("MISSING", "x-request-id")).toBe("x-request-id");
    expect(env.string("EMPTY", "fallback")).toBe("fallback");
    expect(env.optional("OBJ")).toBe('{"x":1}');
  });

  it("throws a ConfigError carrying the variable name", () => {
    const def = defineConfig("x", (e) => ({ port: e.int("PORT", 80) }));
    try {
      loadConfig([def], { PORT: "8.5" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe("PORT");
    }
    expect(() => env.binding("DB_MISSING")).toThrow(/Missing binding DB_MISSING/);
  });
});
