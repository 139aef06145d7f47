/**
 * Rendezvous (highest-random-weight) hashing: a key goes to the shard whose
 * (key, shard) score is highest. Unlike `hash % n`, growing n to n+1 moves only
 * the keys the new shard now wins (about 1/(n+1) of them), and every moved key
 * moves to the new shard, so a resharded component keeps almost all of its
 * objects' state where it is. No crypto: placement only needs a stable,
 * well-mixed hash, and this runs on every connect.
 */

/** murmur3's 32-bit finaliser: full avalanche from two multiplies. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent 32-bit lanes over the UTF-16 units of `key` (FNV-style steps, mixed at the end). */
export function hashKey(key: string): readonly [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix32(a), fmix32(b ^ a)];
}

/**
 * The score of shard `i` for a key hashed to (a, b): a 53-bit integer (exact in a double),
 * so ties between shards are vanishingly rare; a tie goes to the lower index, deterministically.
 */
function score(a: number, b: number, i: number): number {
  const s = fmix32(Math.imul(i + 1, 0x9e3779b1));
  const hi = fmix32(a ^ s);
  const lo = fmix32(b ^ fmix32(s ^ hi));
  return hi * 0x200000 + (lo >>> 11);
}

/** The shard (0..shards-1) that `key` maps to. */
export function rendezvous(key: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  const [a, b] = hashKey(key);
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < shards; i++) {
    const s = score(a, b, i);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}
