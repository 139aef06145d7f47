import { describe, expect, it } from "vitest";
import { applyChange, diffTree } from "../../worker/templating/diff";
import { html, renderToString, type Template } from "../../worker/templating/html";
import { keyed } from "../../worker/templating/keyed";
import { renderTree, toHtml } from "../../worker/templating/rendered";

type Item = { id: number; title: string };
const row = (i: Item) => html`<li data-id="${i.id}">${i.title}</li>`;
const keyedPage = (items: Item[]) => html`<ul>${keyed(items, (i) => i.id, row)}</ul>`;
const positionalPage = (items: Item[]) => html`<ul>${items.map(row)}</ul>`;
const items = (n: number, from = 0): Item[] => Array.from({ length: n }, (_, i) => ({ id: from + i, title: `Item ${from + i}` }));

function roundTrip(a: Template, b: Template) {
  const prev = renderTree(a);
  const next = renderTree(b);
  const diff = diffTree(prev.root, next.root, prev.statics, next.statics);
  const patched = diff ? applyChange(prev.root, diff.changes) : prev.root;
  return { diff, html: toHtml(patched, { ...prev.statics, ...diff?.statics }), expected: renderToString(b), bytes: JSON.stringify(diff?.changes ?? null).length };
}

const shuffles: [string, (l: Item[]) => Item[]][] = [
  ["remove first", (l) => l.slice(1)],
  ["insert at front", (l) => [{ id: 1000, title: "new" }, ...l]],
  ["insert in the middle", (l) => [...l.slice(0, 50), { id: 1000, title: "new" }, ...l.slice(50)]],
  ["swap two", (l) => l.map((x, i) => (i === 3 ? l[90]! : i === 90 ? l[3]! : x))],
  ["reverse", (l) => [...l].reverse()],
  ["move and edit", (l) => [{ ...l[99]!, title: "moved" }, ...l.slice(0, 99)]],
  ["replace all", () => items(30, 500)],
  ["append", (l) => [...l, ...items(2, 200)]],
  ["truncate", (l) => l.slice(0, 10)],
  ["empty", () => []],
];

describe("keyed lists", () => {
  for (const [name, change] of shuffles) {
    it(`patches to the exact HTML: ${name}`, () => {
      const before = items(100);
      const r = roundTrip(keyedPage(before), keyedPage(change(before)));
      expect(r.html).toBe(r.expected);
    });
  }

  it("sends runs of the old list instead of rewriting positions", () => {
    const before = items(100);
    const keyedRemove = roundTrip(keyedPage(before), keyedPage(before.slice(1)));
    expect(keyedRemove.diff!.changes).toEqual({ d: { 0: { L: {}, n: 99, m: [1, 99] } } });
    const positionalRemove = roundTrip(positionalPage(before), positionalPage(before.slice(1)));
    expect(keyedRemove.bytes * 20).toBeLessThan(positionalRemove.bytes);

    const insert = roundTrip(keyedPage(before), keyedPage([{ id: 1000, title: "new" }, ...before]));
    expect(insert.diff!.changes).toEqual({ d: { 0: { L: { 0: { s: expect.any(String), d: ["1000", "new"] } }, n: 101, m: [-1, 1, 0, 100] } } });
  });

  it("diffs an edited item in place and omits moves when the order held", () => {
    const before = items(100);
    const after = before.map((i) => (i.id === 42 ? { ...i, title: "Changed" } : i));
    expect(roundTrip(keyedPage(before), keyedPage(after)).diff!.changes).toEqual({ d: { 0: { L: { 42: { d: { 1: "Changed" } } }, n: 100 } } });
    expect(roundTrip(keyedPage(before), keyedPage(items(100))).diff).toBeNull();
  });

  it("treats duplicate keys as new items rather than losing one", () => {
    const dupes = [{ id: 1, title: "a" }, { id: 1, title: "b" }];
    const r = roundTrip(keyedPage(dupes), keyedPage([...dupes].reverse()));
    expect(r.html).toBe(r.expected);
  });

  it("falls back to positional diffs between keyed and unkeyed renders", () => {
    const r = roundTrip(positionalPage(items(5)), keyedPage(items(4, 1)));
    expect(r.html).toBe(r.expected);
  });
});
