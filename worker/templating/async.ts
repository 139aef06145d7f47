import { compiled, nestedSite, type CompiledSite } from "./compiled";
import { RawHtml, scalarFor, Template, TemplateError } from "./html";
import { KeyedList } from "./keyed";

/**
 * Page rendering with async values: any slot may hold a Promise (of a value,
 * a template, raw markup or a list). A sync generator walks the tree and
 * yields only at promises, so a page without them costs one pass, and a
 * stream can flush everything rendered so far before it waits.
 */
type Walk = Generator<PromiseLike<unknown>, void, unknown>;

interface Sink {
  buf: string;
}

function* walkTemplate(template: Template, site: CompiledSite, out: Sink): Walk {
  const values = template.values;
  out.buf += site.statics[0]!;
  for (let i = 0; i < values.length; i++) {
    yield* walkValue(values[i], site, i, out);
    out.buf += site.statics[i + 1]!;
  }
}

/** The page a root value sits in: one text slot. */
const ROOT = compiled(["", ""]);

function* walkValue(value: unknown, site: CompiledSite, i: number, out: Sink): Walk {
  if (isThenable(value)) {
    const resolved = yield value;
    yield* walkValue(resolved, site, i, out);
    return;
  }
  if (typeof value === "string") {
    if (value !== "") out.buf += site.escapers[i]!(value);
    return;
  }
  const scalar = scalarFor(value, site, i);
  if (scalar !== undefined) {
    out.buf += scalar;
    return;
  }
  if (value instanceof RawHtml) {
    out.buf += value.value;
    return;
  }
  if (value instanceof Template) {
    // The page's root template may end anywhere; nested ones must close what they open.
    yield* walkTemplate(value, site === ROOT ? compiled(value.strings) : nestedSite(site, i, value.strings), out);
    return;
  }
  if (Array.isArray(value) || value instanceof KeyedList) {
    const items: readonly unknown[] = Array.isArray(value) ? value : value.items;
    for (const item of items) yield* walkValue(item, site, i, out);
    return;
  }
  throw new TemplateError(`Cannot render a value of type ${Object.prototype.toString.call(value)} in a template.`);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as PromiseLike<unknown>).then === "function";
}

/** Renders a template whose slots may hold promises; resolves once the whole page is ready. */
export async function renderToStringAsync(template: Template | PromiseLike<Template>): Promise<string> {
  const out: Sink = { buf: "" };
  const gen = walkValue(template, ROOT, 0, out);
  let step = gen.next();
  while (!step.done) step = gen.next(await step.value);
  return out.buf;
}

/**
 * Renders a page as a stream of chunks: everything before the first pending
 * promise (the layout's head, navigation, CSS links) goes out at once, which
 * is what makes streaming worth it for time to first byte. Promises are
 * awaited in document order, so chunks arrive in order.
 */
export function renderToStream(template: Template | PromiseLike<Template>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const out: Sink = { buf: "" };
  const gen = walkValue(template, ROOT, 0, out);
  let input: unknown;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const step = gen.next(input);
          if (step.done) {
            if (out.buf) controller.enqueue(encoder.encode(out.buf));
            controller.close();
            return;
          }
          if (out.buf) {
            // Flush before waiting; the promise is awaited on the next pull.
            controller.enqueue(encoder.encode(out.buf));
            out.buf = "";
          }
          input = await step.value;
          if (controller.desiredSize !== null && controller.desiredSize <= 0) return;
        }
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      gen.return();
    },
  });
}
