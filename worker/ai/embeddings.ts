import type { AIManager, RunOptions } from "./manager";

export interface EmbedManyOptions extends RunOptions {
  /** Texts per model call; defaults to the alias's batchSize (100 for bge). */
  batchSize?: number;
  /** Batches in flight at once. */
  concurrency?: number;
}

/**
 * Embeds any number of texts, split into batches under the model's limit,
 * keeping input order. Each batch is one cached, retried `embed` call.
 */
export async function embedMany(ai: AIManager, texts: readonly string[], options: EmbedManyOptions = {}): Promise<number[][]> {
  const size = options.batchSize ?? ai.alias("embed")?.batchSize ?? 100;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
  const out: number[][][] = new Array(batches.length);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const i = next++;
      out[i] = (await ai.run("embed", { text: batches[i]! }, options)).data;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return out.flat();
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`Vectors differ in length (${a.length} vs ${b.length}).`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export interface Scored<T> {
  item: T;
  score: number;
}

/** The k items most similar to `query`, best first: a small in-Worker vector search. */
export function topK<T>(query: readonly number[], items: readonly { item: T; vector: readonly number[] }[], k: number): Scored<T>[] {
  return items
    .map(({ item, vector }) => ({ item, score: cosineSimilarity(query, vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, k));
}
