import type { Template } from "./html";
import { LayoutManager } from "./layouts";
import { Partials } from "./partials";
import { renderToStream, renderToStringAsync } from "./async";
import { View, type ViewInit } from "./view";

export interface PageOptions extends ViewInit {
  /** Layout name; defaults to the engine's default layout. `false` renders the content bare. */
  layout?: string | false;
  title?: string;
  sections?: Record<string, unknown>;
}

/** A page: data in, content out; the engine puts it in its layout. */
export interface Page<D> {
  layout?: string | false;
  title?: string | ((data: D) => string);
  render(data: D): Template | PromiseLike<Template>;
}

export function definePage<D>(page: Page<D>): Page<D> {
  return page;
}

/**
 * Puts pages in layouts and turns them into views, strings or streams.
 * Content may be (or hold) promises: layouts wrap it synchronously, so the
 * layout's head can stream before the page's data has arrived.
 */
export class RenderEngine {
  readonly layouts: LayoutManager;
  readonly partials: Partials;
  readonly defaultLayout: string | undefined;

  constructor(options: { layouts?: LayoutManager; partials?: Partials; defaultLayout?: string } = {}) {
    this.layouts = options.layouts ?? new LayoutManager();
    this.partials = options.partials ?? new Partials();
    this.defaultLayout = options.defaultLayout;
  }

  /** The full page template: content inside its layout chain. */
  compose(content: Template | PromiseLike<Template>, options: PageOptions = {}): Template | PromiseLike<Template> {
    const layout = options.layout === undefined ? this.defaultLayout : options.layout;
    if (layout === false || layout === undefined) return content;
    return this.layouts.wrap(layout, { content, title: options.title ?? "", sections: options.sections ?? {}, partials: this.partials });
  }

  view(content: Template | PromiseLike<Template>, options: PageOptions = {}): View {
    return new View(this.compose(content, options), { status: options.status, headers: options.headers, stream: options.stream });
  }

  page<D>(page: Page<D>, data: D, options: PageOptions = {}): View {
    const title = options.title ?? (typeof page.title === "function" ? page.title(data) : page.title);
    return this.view(page.render(data), { layout: page.layout, ...options, title });
  }

  async render(content: Template | PromiseLike<Template>, options: PageOptions = {}): Promise<string> {
    return renderToStringAsync(this.compose(content, options));
  }

  stream(content: Template | PromiseLike<Template>, options: PageOptions = {}): ReadableStream<Uint8Array> {
    return renderToStream(this.compose(content, options));
  }
}
