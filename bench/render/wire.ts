/** Bytes on the wire per update for the demo component: a diff frame against the full HTML it replaces. */
import { demoView, type DemoState } from "../../components/demo/views";
import { diffTree } from "../../worker/templating/diff";
import { renderTree, toHtml } from "../../worker/templating/rendered";

function frameBytes(before: DemoState, after: DemoState) {
  const a = renderTree(demoView(before));
  const b = renderTree(demoView(after));
  const diff = diffTree(a.root, b.root, a.statics, b.statics)!;
  const frame = JSON.stringify({ type: "diff", seq: 2, from: 1, changes: diff.changes, ...(Object.keys(diff.statics).length ? { statics: diff.statics } : {}) });
  const full = toHtml(b.root, b.statics).length;
  const render = JSON.stringify({ type: "render", seq: 2, statics: b.statics, dynamics: b.root }).length;
  return { "diff frame B": frame.length, "full HTML B": full, "render frame B": render, "diff / HTML %": +((frame.length / full) * 100).toFixed(2) };
}

export function measure() {
  const items = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, text: `Item number ${i + 1} in the demo list` }));
  const base: DemoState = { count: 41, items, draft: "" };
  return {
    "counter +1": frameBytes(base, { ...base, count: 42 }),
    "one field in 100-item list": frameBytes(base, { ...base, items: items.map((i) => (i.id === 50 ? { ...i, text: "Edited item fifty" } : i)) }),
    "append to 100-item list": frameBytes(base, { ...base, items: [...items, { id: 101, text: "New item" }] }),
    "remove first of 100 (keyed)": frameBytes(base, { ...base, items: items.slice(1) }),
  };
}
