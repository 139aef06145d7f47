import { TemplateError } from "./html-errors";
import { META_CONTENT_REFUSED, sinkFor, urlSlots, type ValuePart } from "./sinks";
import { Tokenizer, type State, type Tag, type TokenizerHooks } from "./tokenizer";

/** Where a dynamic value sits in the markup, which decides how it is escaped. */
export type SlotKind =
  | { kind: "text"; foreign?: true }
  | { kind: "rcdata" }
  | { kind: "comment" }
  | { kind: "attr"; name: string; sink: AttrSink }
  | { kind: "bool"; name: string }
  | { kind: "refuse"; reason: string };

/**
 * How an attribute slot is escaped: `url` starts a URL (its scheme is checked), `list`/`listRest`
 * sit in a srcset at a candidate's start or after it (a comma in the value starts a new candidate).
 */
export type AttrSink = "plain" | "url" | "style" | "list" | "listRest";

export interface SiteShape {
  kinds: SlotKind[];
  /** The statics as rendered: unquoted values holding a slot gain quotes, `?name=` prefixes are gone. */
  statics: string[];
  /** Ends in the data state outside foreign content, so it can be nested in a text slot as is. */
  closed: boolean;
  /** Has no end tag for an element it did not open, which could close an outer foreign element. */
  balanced: boolean;
}

const RCDATA = new Set(["textarea", "title"]);
const RAWTEXT = new Set(["style", "xmp", "iframe", "noembed", "noframes", "noscript"]);
const BREAKOUT = new Set("b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var".split(" "));
const INTEGRATION = new Set(["svg:foreignobject", "svg:desc", "svg:title", "math:mi", "math:mo", "math:mn", "math:ms", "math:mtext"]);
const TAG_NAME: readonly State[] = ["tagOpen", "endTagOpen", "tagName"];
const ATTR_NAME: readonly State[] = ["beforeAttrName", "attrName", "afterAttrName", "afterAttrValueQuoted", "selfClosing"];
const COMMENT_EDGE: readonly State[] = ["commentStart", "commentStartDash", "commentEndDash", "commentEnd", "commentEndBang"];
const isSeparator = (c: string) => /[\s/>]/.test(c);

const refuse = (reason: string): SlotKind => ({ kind: "refuse", reason });

/**
 * Runs a call site's statics through the spec tokenizer and, for the tree builder's part, tracks
 * which elements switch the tokenizer into RCDATA, RAWTEXT, script data or PLAINTEXT and where
 * foreign content (SVG, MathML) starts and ends; each slot's kind follows from the state it sits in.
 */
class Scan implements TokenizerHooks {
  readonly tok = new Tokenizer(this);
  readonly kinds: SlotKind[] = [];
  readonly statics: string[] = [];
  #cur = "";
  #foreign: { name: string; ns: string }[] = [];
  #content = "";
  #attrs: { name: string; slots: number[] }[] = [];
  #attrStart = -1;
  #attrChunk = -1;
  #valueStart = -1;
  #quoting = false;
  #parts: ValuePart[] | null = null;
  #text = "";
  #skip = false;
  #opened = new Map<string, number>();
  balanced = true;

  run(strings: readonly string[]): void {
    let sep = false;
    for (let s = 0; s < strings.length; s++) {
      for (const c of strings[s]!) {
        if (sep && !isSeparator(c)) throw new TemplateError("A ?name=${value} boolean attribute must be followed by a space, / or >.");
        sep = false;
        this.tok.step(c);
        const inValue = this.#parts !== null;
        if (inValue && !this.#skip) this.#text += c;
        this.#skip = false;
        this.#cur += this.#quoting && inValue && c === '"' ? "&quot;" : c;
      }
      if (s === strings.length - 1) break;
      const kind = this.#slot(s);
      sep = kind.kind === "bool";
      this.kinds.push(kind);
      this.statics.push(this.#cur);
      this.#cur = "";
    }
    if (this.#parts !== null) this.valueEnd();
    this.statics.push(this.#cur);
  }

  get closed(): boolean {
    return this.tok.state === "data" && this.#foreign.length === 0;
  }

  #slot(i: number): SlotKind {
    const tok = this.tok;
    const state = tok.state;
    // Inside an SVG/MathML <script> or <style>, whatever the state: a parser that does not enter
    // foreign content here (as in <select>) reads it as an HTML script, where comments differ.
    const code = this.#foreign.find((e) => e.name === "script" || e.name === "style");
    if (code) return refuse(`A dynamic value inside <${code.name}> is code, which no escaping makes safe; pass trusted content with raw().`);
    if (state === "data") {
      return this.foreign() ? { kind: "text", foreign: true } : { kind: "text" };
    }
    if (state === "rcdata") return { kind: "rcdata" };
    if (state === "comment" || state === "bogusComment") return { kind: "comment" };
    if (TAG_NAME.includes(state)) return refuse("A dynamic value in tag-name position could open any element; write the tag statically.");
    if (ATTR_NAME.includes(state)) return refuse("A dynamic value in tag position must be raw() markup or an attribute value.");
    if (COMMENT_EDGE.includes(state)) return refuse("A dynamic value next to a comment's dashes could end it; leave a space between them.");
    if (state === "beforeAttrValue" && tok.attrName.startsWith("?")) return this.#bool(i);
    if (state === "beforeAttrValue" || state === "attrValueUnq" || state === "attrValueDq" || state === "attrValueSq") return this.#attr(i);
    if (state === "markupDecl" || state === "doctype" || state.startsWith("cdata")) return refuse("A dynamic value inside a doctype, CDATA section or markup declaration is not supported.");
    return refuse(`A dynamic value inside <${this.#content}> cannot be escaped safely; pass trusted content with raw().`);
  }

  #bool(i: number): SlotKind {
    if (this.#attrChunk !== i) throw new TemplateError("A ?name=${value} boolean attribute needs a static name.");
    this.#cur = this.#cur.slice(0, this.#attrStart);
    const name = this.tok.attrName.slice(1);
    this.tok.state = "beforeAttrName";
    return { kind: "bool", name };
  }

  #attr(i: number): SlotKind {
    const tok = this.tok;
    if (tok.attrName.startsWith("?")) throw new TemplateError(`Write the boolean attribute as ${tok.attrName}=\${value}, without quotes.`);
    if (tok.state === "beforeAttrValue") {
      this.valueStart("");
      tok.state = "attrValueUnq";
    }
    // An unquoted value holding a slot is quoted, so an empty value cannot pull in what follows.
    if (tok.state === "attrValueUnq" && !this.#quoting) {
      this.#cur = this.#cur.slice(0, this.#valueStart) + '"' + this.#cur.slice(this.#valueStart).replaceAll('"', "&quot;");
      this.#quoting = true;
    }
    this.#parts!.push(this.#text, i);
    this.#text = "";
    this.#attrs.at(-1)!.slots.push(i);
    const sink = sinkFor(tok.tag.name, tok.attrName);
    if (typeof sink === "object") return refuse(sink.refuse);
    return { kind: "attr", name: tok.attrName, sink: sink === "urlList" ? "url" : sink };
  }

  attrStart(): void {
    this.#attrStart = this.#cur.length;
    this.#attrChunk = this.statics.length;
  }

  valueStart(quote: '"' | "'" | ""): void {
    this.#parts = [];
    this.#text = "";
    this.#skip = quote !== "";
    this.#valueStart = this.#cur.length;
    this.#attrs.push({ name: this.tok.attrName, slots: [] });
  }

  valueEnd(): void {
    const parts = this.#parts!;
    parts.push(this.#text);
    this.#parts = null;
    if (this.#quoting) this.#cur += '"';
    this.#quoting = false;
    const sink = sinkFor(this.tok.tag.name, this.tok.attrName);
    if (sink !== "url" && sink !== "urlList") return;
    for (const [slot, role] of urlSlots(parts, sink === "urlList")) {
      const kind = this.kinds[slot];
      const list = sink === "urlList";
      if (kind?.kind === "attr") kind.sink = role === "scheme" ? (list ? "list" : "url") : list ? "listRest" : "plain";
    }
  }

  tagEnd(tag: Tag): State {
    const attrs = this.#attrs;
    this.#attrs = [];
    if (tag.name === "meta" && attrs.some((a) => a.name === "http-equiv")) {
      for (const a of attrs) if (a.name === "content") for (const s of a.slots) this.kinds[s] = refuse(META_CONTENT_REFUSED);
    }
    const stack = this.#foreign;
    const opened = this.#opened.get(tag.name) ?? 0;
    if (tag.end && opened === 0) this.balanced = false;
    this.#opened.set(tag.name, tag.end ? opened - 1 : opened + 1);
    if (tag.end) {
      const at = stack.findLastIndex((e) => e.name === tag.name);
      if (at >= 0) stack.length = at;
      else if (this.foreign() && (tag.name === "br" || tag.name === "p")) stack.length = 0;
      return "data";
    }
    if (this.foreign()) {
      if (!BREAKOUT.has(tag.name)) {
        const ns = tag.name === "svg" || tag.name === "math" ? tag.name : stack.at(-1)!.ns;
        if (!tag.selfClosing) stack.push({ name: tag.name, ns });
        return "data";
      }
      stack.length = 0;
    }
    if (tag.name === "svg" || tag.name === "math") {
      if (!tag.selfClosing) stack.push({ name: tag.name, ns: tag.name });
      return "data";
    }
    this.#content = tag.name;
    if (RCDATA.has(tag.name)) return "rcdata";
    if (RAWTEXT.has(tag.name)) return "rawtext";
    if (tag.name === "script") return "scriptData";
    if (tag.name === "plaintext") return "plaintext";
    return "data";
  }

  foreign(): boolean {
    const top = this.#foreign.at(-1);
    return top !== undefined && !INTEGRATION.has(`${top.ns}:${top.name}`);
  }
}

const cache = new WeakMap<readonly string[], SiteShape>();

/** Each slot's context and the statics as rendered, computed once per call site. */
export function siteShape(strings: readonly string[]): SiteShape {
  let shape = cache.get(strings);
  if (!shape) {
    const scan = new Scan();
    scan.run(strings);
    shape = { kinds: scan.kinds, statics: scan.statics, closed: scan.closed, balanced: scan.balanced };
    cache.set(strings, shape);
  }
  return shape;
}
