import type { RequestContext } from "../http/context";
import type { Renderable } from "../http/respond";
import { renderToStream, renderToStringAsync } from "./async";
import type { Template } from "./html";

export interface ViewInit {
  status?: number;
  headers?: HeadersInit;
  /**
   * Stream the body as it renders (default: false). Worth it when the page
   * awaits slow data after a large head; a streamed page cannot change its
   * status once the first byte is out, so errors after it end the stream.
   */
  stream?: boolean;
}

export const HTML_CONTENT_TYPE = "text/html; charset=utf-8";

/** What a page handler returns: `return view(html`...`)`; the router turns it into a Response. */
export class View implements Renderable {
  constructor(
    readonly body: Template | PromiseLike<Template>,
    readonly init: ViewInit = {},
  ) {}

  async toResponse(_c?: RequestContext): Promise<Response> {
    const headers = new Headers(this.init.headers);
    if (!headers.has("content-type")) headers.set("content-type", HTML_CONTENT_TYPE);
    const status = this.init.status ?? 200;
    if (this.init.stream) return new Response(renderToStream(this.body), { status, headers });
    // Rendered fully first, so a failing async value still becomes a proper error response.
    return new Response(await renderToStringAsync(this.body), { status, headers });
  }
}

export function view(body: Template | PromiseLike<Template>, init?: ViewInit): View {
  return new View(body, init);
}
