/**
 * Topic names and subscription patterns. A topic is `.`-separated segments
 * (`project.7.comments`, `tenant:42`: a colon is an ordinary character). A
 * pattern may use `*` for exactly one segment and a final `**` for one or more
 * (`project.*`, `project.**`). The first segment is the topic's root and is
 * always literal, so every subscription lives in exactly one registry object
 * (one per root) and a broadcast asks exactly one of them.
 */

const MAX_LENGTH = 256;
const SEGMENT = /^[^\s.*]+$/;

export class TopicError extends RangeError {
  override name = "TopicError";
}

/** The segments of a topic one can broadcast to; throws TopicError naming the problem. */
export function parseTopic(topic: string): string[] {
  const segments = split(topic, "topic");
  for (const s of segments) if (!SEGMENT.test(s)) throw new TopicError(`Topic "${clip(topic)}" has a bad segment "${clip(s)}": segments are non-empty, with no spaces, dots or "*".`);
  return segments;
}

/** The segments of a subscription pattern; throws TopicError naming the problem. */
export function parsePattern(pattern: string): string[] {
  const segments = split(pattern, "pattern");
  segments.forEach((s, i) => {
    if (s === "*" || (s === "**" && i === segments.length - 1)) {
      if (i === 0) throw new TopicError(`Pattern "${clip(pattern)}" starts with a wildcard: the first segment (the topic's root) must be literal.`);
      return;
    }
    if (!SEGMENT.test(s)) throw new TopicError(`Pattern "${clip(pattern)}" has a bad segment "${clip(s)}": use a literal, "*" for one segment or a final "**" for one or more.`);
  });
  return segments;
}

/** The registry object a topic or pattern belongs to. */
export function topicRoot(topicOrPattern: string): string {
  const dot = topicOrPattern.indexOf(".");
  return dot < 0 ? topicOrPattern : topicOrPattern.slice(0, dot);
}

export function isWildcard(pattern: string): boolean {
  return pattern.includes("*");
}

/** Whether a (valid) pattern matches a (valid) topic, segment by segment. */
export function matches(pattern: readonly string[], topic: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === "**") return topic.length > i;
    if (i >= topic.length) return false;
    if (p !== "*" && p !== topic[i]) return false;
  }
  return pattern.length === topic.length;
}

function split(value: string, what: string): string[] {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) throw new TopicError(`A ${what} is a string of 1 to ${MAX_LENGTH} characters.`);
  return value.split(".");
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
