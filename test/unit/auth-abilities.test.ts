import { describe, expect, it } from "vitest";
import { safeIntended } from "../../worker/auth/guards";
import { grants } from "../../worker/auth/identity";
import { bearerToken, parseBearer } from "../../worker/auth/tokens/format";

describe("grants()", () => {
  it("matches exact abilities, a resource wildcard and *", () => {
    expect(grants(["articles:write"], "articles:write")).toBe(true);
    expect(grants(["articles:write"], "articles:delete")).toBe(false);
    expect(grants(["articles:*"], "articles:delete")).toBe(true);
    expect(grants(["articles:*"], "articlesx:delete")).toBe(false);
    expect(grants(["articles:*"], "profile:write")).toBe(false);
    expect(grants(["*"], "anything")).toBe(true);
    expect(grants([], "articles:write")).toBe(false);
  });
});

describe("safeIntended()", () => {
  it("keeps same-site paths and drops everything that could leave the site", () => {
    expect(safeIntended("/account?tab=tokens")).toBe("/account?tab=tokens");
    for (const bad of ["//evil.example/x", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeIntended(bad, "/home"), String(bad)).toBe("/home");
    }
  });
});

describe("token format", () => {
  const good = `stratus_${"a1".repeat(12)}_${"Z".repeat(42)}_`;

  it("parses the id and the secret (which may itself contain _)", () => {
    expect(parseBearer(good)).toEqual({ id: "a1".repeat(12), secret: `${"Z".repeat(42)}_` });
  });

  it("refuses other shapes", () => {
    for (const bad of ["stratus_", `stratus_${"A1".repeat(12)}_${"Z".repeat(43)}`, `stratus_${"a1".repeat(12)}_${"Z".repeat(42)}`, `${good}x`, good.replace("stratus_", "other_")]) {
      expect(parseBearer(bad), bad).toBeUndefined();
    }
  });

  it("reads Authorization: Bearer, case-insensitively; another scheme is an empty token", () => {
    expect(bearerToken(new Headers({ authorization: `Bearer ${good}` }))).toBe(good);
    expect(bearerToken(new Headers({ authorization: `bearer  ${good} ` }))).toBe(good);
    expect(bearerToken(new Headers({ authorization: "Basic abc" }))).toBe("");
    expect(bearerToken(new Headers())).toBeUndefined();
  });
});
