import { describe, expect, it } from "vitest";
import { locateJsonError } from "../../worker/http/json-error";

describe("locateJsonError", () => {
  it.each([
    ["{x", 1, 1, 2],
    ['{"a":1}x', 7, 1, 8],
    ['[1,2,]', 5, 1, 6],
    ['{"a": 01}', 7, 1, 8],
    ['"tab\there"', 4, 1, 5],
    ['"bad \\q escape"', 6, 1, 7],
    ['"\\u12G4"', 2, 1, 3],
    ["[1, 2", 5, 1, 6],
    ["", 0, 1, 1],
    ["nul", 0, 1, 1],
    ['{\n  "a": [\n    1,\n    }\n', 22, 4, 5],
  ])("%j fails at position %i (line %i, column %i)", (text, position, line, column) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(locateJsonError(text)).toEqual({ position, line, column });
  });

  it("does not overflow on absurd nesting", () => {
    const deep = "[".repeat(200_000);
    expect(locateJsonError(deep).position).toBeLessThanOrEqual(deep.length);
  });
});
