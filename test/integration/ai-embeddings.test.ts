import { beforeEach, describe, expect, it } from "vitest";
import { cosineSimilarity, embedMany, topK } from "../../worker/ai/embeddings";
import { manager, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

describe("embedMany", () => {
  it("splits 250 texts into batches of 100 and keeps their order", async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `document number ${i}`);
    const vectors = await embedMany(manager({ cache: false }), texts);
    expect(vectors).toHaveLength(250);
    const calls = await standin.__calls();
    expect(calls.map((c) => (c.inputs.text as string[]).length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    // Order survives concurrent batches: re-embedding one text alone gives the same vector.
    const [alone] = await embedMany(manager({ cache: false }), [texts[173]!]);
    expect(vectors[173]).toEqual(alone);
  });

  it("the stand-in, like bge, rejects a batch over 100 texts: a single oversized call fails with 502", async () => {
    const ai = manager({ cache: false });
    await expect(ai.run("embed", { text: Array.from({ length: 101 }, (_, i) => `t${i}`) })).rejects.toMatchObject({ status: 502 });
  });

  it("honours a smaller batch size and caches per batch", async () => {
    const ai = manager();
    const texts = ["a", "b", "c", "d", "e"];
    await embedMany(ai, texts, { batchSize: 2 });
    await embedMany(ai, texts, { batchSize: 2 });
    expect(await standin.__calls()).toHaveLength(3);
  });

  it("returns nothing for no texts without calling a model", async () => {
    expect(await embedMany(manager(), [])).toEqual([]);
    expect(await standin.__calls()).toHaveLength(0);
  });
});

describe("cosine similarity and topK", () => {
  it("scores identical directions 1, opposite -1, orthogonal 0", () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [-1, 0])).toBeCloseTo(-1);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });

  it("finds the nearest documents for a query embedded by the model", async () => {
    const ai = manager();
    const docs = ["apples and pears", "zebra crossing", "apples and pears!", "quantum chromodynamics"];
    const vectors = await embedMany(ai, docs);
    const [query] = await embedMany(ai, ["apples and pears"]);
    const best = topK(query!, docs.map((item, i) => ({ item, vector: vectors[i]! })), 2);
    expect(best.map((b) => b.item)).toEqual(["apples and pears", "apples and pears!"]);
    expect(best[0]!.score).toBeCloseTo(1);
  });
});
