const STOP = new Set(
  "a an and are as at be been but by for from has have he her his in into is it its of on or our she that the their them they this to was we were what when which who will with would you your said says new after over about more than not".split(" "),
);

/**
 * Up to three tags from the AI summary: its most frequent content words
 * (ties by first appearance). The summary is the model's reading of the
 * story, so the tags follow it without a second inference per story.
 */
export function tagsFrom(summary: string, max = 3): string[] {
  const counts = new Map<string, number>();
  for (const word of summary.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}-]{2,}/gu) ?? []) {
    if (STOP.has(word) || /^\d+$/.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, max).map(([w]) => w);
}
