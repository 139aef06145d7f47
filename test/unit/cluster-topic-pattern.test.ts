import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matches, parsePattern, parseTopic, topicRoot, TopicError } from "../../durable-objects/cluster/topic-pattern";

const m = (pattern: string, topic: string) => matches(parsePattern(pattern), parseTopic(topic));

describe("topic patterns", () => {
  it("matches literals exactly, * as one segment, a final ** as one or more", () => {
    expect(m("tenant:42", "tenant:42")).toBe(true);
    expect(m("tenant:42", "tenant:4")).toBe(false);
    expect(m("project.*", "project.7")).toBe(true);
    expect(m("project.*", "project")).toBe(false);
    expect(m("project.*", "project.7.comments")).toBe(false);
    expect(m("project.*.comments", "project.7.comments")).toBe(true);
    expect(m("project.*.comments", "project.7.files")).toBe(false);
    expect(m("project.**", "project.7")).toBe(true);
    expect(m("project.**", "project.7.comments.12")).toBe(true);
    expect(m("project.**", "project")).toBe(false);
    expect(m("project.7", "project.7.comments")).toBe(false);
    expect(m("project", "projects")).toBe(false);
  });

  it("keeps every subscription under one literal root", () => {
    expect(topicRoot("project.*")).toBe("project");
    expect(topicRoot("tenant:42")).toBe("tenant:42");
    expect(() => parsePattern("*.comments")).toThrow(/first segment/);
    expect(() => parsePattern("**")).toThrow(TopicError);
  });

  it("refuses malformed topics and patterns with a message naming the problem", () => {
    for (const bad of ["", "a..b", "a.", ".a", "a b", "x".repeat(300)]) expect(() => parseTopic(bad)).toThrow(TopicError);
    expect(() => parseTopic("project.*")).toThrow(/bad segment/);
    expect(() => parsePattern("project.**.x")).toThrow(/final/);
    expect(() => parsePattern("project.a*")).toThrow(/bad segment/);
  });

  it("agrees with a segment-wise reference for any pattern and topic", () => {
    const seg = fc.constantFrom("a", "b", "c:1");
    const topic = fc.tuple(seg, fc.array(seg, { maxLength: 4 })).map(([r, rest]) => [r, ...rest]);
    const pattern = fc
      .tuple(seg, fc.array(fc.oneof(seg, fc.constant("*")), { maxLength: 4 }), fc.boolean())
      .map(([r, rest, tail]) => [r, ...rest, ...(tail ? ["**"] : [])]);
    const reference = (p: string[], t: string[]): boolean => {
      if (p.length === 0) return t.length === 0;
      if (p[0] === "**") return t.length >= 1;
      if (t.length === 0) return false;
      return (p[0] === "*" || p[0] === t[0]) && reference(p.slice(1), t.slice(1));
    };
    fc.assert(
      fc.property(pattern, topic, (p, t) => {
        expect(m(p.join("."), t.join("."))).toBe(reference(p, t));
      }),
      { seed: 20261203, numRuns: 2000 },
    );
  });
});
