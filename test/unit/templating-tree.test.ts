import { describe, expect, it } from "vitest";
import { applyChange, diffTree } from "../../worker/templating/diff";
import { html, raw, renderToString, type Template } from "../../worker/templating/html";
import { renderTree, toHtml } from "../../worker/templating/rendered";

type Item = { id: number; title: string; done: boolean };

const row = (item: Item) => html`<li id="item-${item.id}" class="${item.done ? "done" : "open"}">${item.title}</li>`;
const page = (items: Item[], heading: string, banner?: string) =>
  html`<section><h1>${heading}</h1>${banner ? html`<p class="banner">${banner}</p>` : null}<ul>${items.map(row)}</ul></section>`;

const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ id: i, title: `Item ${i}`, done: i % 2 === 0 }));

function roundTrip(a: Template, b: Template) {
  const prev = renderTree(a);
  const next = renderTree(b);
  const diff = diffTree(prev.root, next.root, prev.statics, next.statics);
  const statics = { ...prev.statics, ...(diff?.statics ?? {}) };
  const patched = diff ? applyChange(prev.root, diff.changes) : prev.root;
  return { diff, html: toHtml(patched, statics), expected: renderToString(b) };
}

describe("statics/dynamics tree", () => {
  it("rebuilds exactly the HTML of a string render", () => {
    const t = page(items(5), "Tasks <&>", "hi");
    expect(toHtml(renderTree(t).root, renderTree(t).statics)).toBe(renderToString(t));
  });

  it("uses one statics entry per call site, however many list items", () => {
    const { statics } = renderTree(page(items(100), "x"));
    expect(Object.keys(statics)).toHaveLength(2);
  });

  it("gives a call site the same statics id on every render", () => {
    expect(renderTree(page(items(1), "a")).root.s).toBe(renderTree(page(items(3), "b")).root.s);
  });

  it("diffs nothing when nothing changed", () => {
    const { diff } = roundTrip(page(items(10), "x"), page(items(10), "x"));
    expect(diff).toBeNull();
  });

  it("sends only the changed slot for a one-field change in a 100-item list", () => {
    const before = items(100);
    const after = before.map((it) => (it.id === 42 ? { ...it, title: "Changed" } : it));
    const r = roundTrip(page(before, "x"), page(after, "x"));
    expect(r.html).toBe(r.expected);
    expect(r.diff!.changes).toEqual({ d: { 2: { L: { 42: { d: { 2: "Changed" } } }, n: 100 } } });
    expect(r.diff!.statics).toEqual({});
  });

  it("handles inserts, removals, conditionals and root swaps", () => {
    const cases: [Template, Template][] = [
      [page(items(3), "x"), page(items(6), "x")],
      [page(items(6), "x"), page(items(2), "x")],
      [page(items(2), "x"), page(items(2), "x", "new banner")],
      [page(items(2), "x", "b"), page(items(2), "x")],
      [page(items(2), "x"), html`<p>${"other root"}</p>`],
      [html`<div>${["a", "b"]}</div>`, html`<div>${[row(items(1)[0]!)]}</div>`],
      [html`<div>${raw("<b>x</b>")}</div>`, html`<div>${raw("<i>y</i>")}</div>`],
    ];
    for (const [a, b] of cases) {
      const r = roundTrip(a, b);
      expect(r.html).toBe(r.expected);
    }
  });

  it("ships statics for templates that first appear in a diff", () => {
    const r = roundTrip(page(items(2), "x"), page(items(2), "x", "new"));
    expect(Object.values(r.diff!.statics)).toHaveLength(1);
  });
});
