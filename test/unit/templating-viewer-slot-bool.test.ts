import { describe, expect, it } from "vitest";
import { html } from "../../worker/templating/html";
import { renderTree, type SlotFill } from "../../worker/templating/rendered";
import { ViewerSlot } from "../../worker/templating/viewer-slot";
import { toHtml } from "../../worker/templating/wire";

/** Fills every slot with what it renders for one viewer value, as the component's dispatcher does per socket. */
const fillWith =
  (viewer: unknown): SlotFill =>
  (slot, render, statics) =>
    render(slot.render(viewer), statics);

describe("a viewer slot in a valueless (?attr=) attribute", () => {
  const view = () => html`<input type="radio" ?checked=${new ViewerSlot((picked: unknown) => picked === "pro")}>`;

  it("renders the attribute from the slot's value for that viewer, not from the slot object being truthy", () => {
    const on = renderTree(view(), fillWith("pro"));
    const off = renderTree(view(), fillWith("free"));
    expect(toHtml(on.root, on.statics)).toBe('<input type="radio" checked>');
    expect(toHtml(off.root, off.statics)).toBe('<input type="radio" >');
  });
});
