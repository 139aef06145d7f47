/**
 * A stable id for a call site's statics, derived from their content so that
 * it survives isolate restarts and evictions (a WeakMap counter would not):
 * a reconnecting client's statics table stays valid.
 */
const ids = new WeakMap<readonly string[], string>();

export function staticsId(strings: readonly string[]): string {
  let id = ids.get(strings);
  if (id === undefined) {
    id = hash53(strings.join("\u0000"));
    ids.set(strings, id);
  }
  return id;
}

/** cyrb53: a fast 53-bit string hash, plenty for call-site ids. */
function hash53(str: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The render identity of a tree: a hash of the sorted statics ids it uses. A template edit (or a
 * deploy that changes markup) changes some id, so a client holding another rid needs a full render.
 */
export function renderId(staticsIds: Iterable<string>): string {
  return hash53([...staticsIds].sort().join(","));
}
