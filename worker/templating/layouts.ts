import { TemplateError, type Template } from "./html";
import type { Partials } from "./partials";

/** What a layout receives: the page's content, its title and named sections, and the partials. */
export interface LayoutContext {
  content: unknown;
  title: string;
  /** Named blocks a page fills for its layout (Blade's @section / @yield), e.g. `head`, `scripts`. */
  sections: Readonly<Record<string, unknown>>;
  partials: Partials;
}

export type Layout = (ctx: LayoutContext) => Template;

interface LayoutEntry {
  render: Layout;
  parent: string | undefined;
}

/**
 * Named layouts. A layout may extend a parent (an admin layout inside the
 * app shell): the child's output becomes the parent's content.
 */
export class LayoutManager {
  readonly #layouts = new Map<string, LayoutEntry>();

  register(name: string, render: Layout, options: { parent?: string } = {}): this {
    this.#layouts.set(name, { render, parent: options.parent });
    return this;
  }

  has(name: string): boolean {
    return this.#layouts.has(name);
  }

  /** Wraps content in the named layout and its parents, innermost first. */
  wrap(name: string, ctx: LayoutContext): Template {
    const seen = new Set<string>();
    let current: string | undefined = name;
    let content: unknown = ctx.content;
    let result: Template | undefined;
    while (current !== undefined) {
      if (seen.has(current)) throw new TemplateError(`Layout "${name}" extends itself through "${current}".`);
      seen.add(current);
      const entry = this.#layouts.get(current);
      if (!entry) throw new TemplateError(`Unknown layout "${current}". Known: ${[...this.#layouts.keys()].join(", ") || "none"}.`);
      result = entry.render({ ...ctx, content });
      content = result;
      current = entry.parent;
    }
    return result!;
  }
}
