import type { RequestContext } from "./context";

export type HeaderEntry = readonly [string, string];

/**
 * The fixed headers a pipeline's hook middleware add to every response
 * (security headers, say), gathered once when the pipeline is composed.
 *
 * A response the framework builds itself (a handler returned data, not a
 * Response) starts from a copy of them: the runtime copies a Headers table in
 * one call, where a `has()` and `set()` per header crossed into it a dozen
 * times per request. Such a response is marked on its context, so the hooks
 * know their headers are already there; any other response (a handler's own,
 * an error page, a copy made on the way out) gets them set as before, a header
 * it already has winning.
 */
export class ResponseTemplate {
  readonly #entries: readonly HeaderEntry[];
  readonly #byType = new Map<string, Headers>();
  readonly #nested = new WeakMap<ResponseTemplate, ResponseTemplate>();

  /** `entries` in the order they would be applied, first one winning a repeated name. */
  constructor(entries: readonly HeaderEntry[]) {
    this.#entries = entries;
  }

  /**
   * This pipeline's headers inside an outer one's (route middleware inside the
   * global stack): this one's win a repeated name, as they would be set first.
   */
  within(outer: ResponseTemplate): ResponseTemplate {
    let merged = this.#nested.get(outer);
    if (merged === undefined) {
      merged = new ResponseTemplate([...this.#entries, ...outer.#entries]);
      this.#nested.set(outer, merged);
    }
    return merged;
  }

  /** The headers a response of this content type ("" for none) starts with; built once per type. */
  headers(contentType: string): Headers {
    let headers = this.#byType.get(contentType);
    if (headers === undefined) {
      headers = new Headers();
      if (contentType) headers.set("content-type", contentType);
      for (const [name, value] of this.#entries) if (!headers.has(name)) headers.set(name, value);
      this.#byType.set(contentType, headers);
    }
    return headers;
  }
}

/** Where a context keeps its pipeline's template and the response built from it. */
export const TEMPLATE: unique symbol = Symbol("stratus.responseTemplate");
export const STAMPED: unique symbol = Symbol("stratus.stampedResponse");

export interface TemplateSlots {
  [TEMPLATE]?: ResponseTemplate | undefined;
  [STAMPED]?: Response | undefined;
}

/**
 * A response built by the framework: from the context's template when its
 * pipeline has one (and marked as such), otherwise with just its content type.
 */
export function frameworkResponse(c: RequestContext, body: BodyInit | null, contentType: string, status?: number): Response {
  const slots = c as RequestContext & TemplateSlots;
  const template = slots[TEMPLATE];
  if (template === undefined) {
    return new Response(body, contentType ? { status, headers: { "content-type": contentType } } : { status });
  }
  const res = new Response(body, { status, headers: template.headers(contentType) });
  slots[STAMPED] = res;
  return res;
}
