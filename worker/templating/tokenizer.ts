/**
 * The HTML spec's tokenizer states (https://html.spec.whatwg.org/#tokenization), one character at a
 * time, for the states a template's statics can be in. It keeps no token data beyond the tag and
 * attribute names; the driver (slots.ts) learns of tags and attribute values through hooks and
 * decides, as the tree builder does, which content state a start tag leads to.
 */
export type State =
  | "data" | "rcdata" | "rawtext" | "scriptData" | "plaintext"
  | "tagOpen" | "endTagOpen" | "tagName"
  | "beforeAttrName" | "attrName" | "afterAttrName" | "beforeAttrValue"
  | "attrValueDq" | "attrValueSq" | "attrValueUnq" | "afterAttrValueQuoted" | "selfClosing"
  | "markupDecl" | "commentStart" | "commentStartDash" | "comment" | "commentEndDash" | "commentEnd" | "commentEndBang"
  | "bogusComment" | "doctype" | "cdata" | "cdataBracket" | "cdataEnd"
  | "textLt" | "textEndOpen" | "textEndName"
  | "scriptLt" | "scriptEscapeStart" | "scriptEscapeStartDash"
  | "scriptEscaped" | "scriptEscapedDash" | "scriptEscapedDashDash" | "scriptEscapedLt"
  | "scriptDoubleEscapeStart" | "scriptDoubleEscaped" | "scriptDoubleEscapedDash" | "scriptDoubleEscapedDashDash"
  | "scriptDoubleEscapedLt" | "scriptDoubleEscapeEnd";

export interface Tag {
  name: string;
  end: boolean;
  selfClosing: boolean;
}

export interface TokenizerHooks {
  attrStart(): void;
  valueStart(quote: '"' | "'" | ""): void;
  valueEnd(): void;
  /** A tag was emitted; the answer is the state its content is tokenized in. */
  tagEnd(tag: Tag): State;
  /** Whether the adjusted current node is foreign (CDATA sections exist only there). */
  foreign(): boolean;
}

const isWs = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";
const isAlpha = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const DECLS = ["--", "doctype", "[CDATA["];

export class Tokenizer {
  state: State = "data";
  tag: Tag = { name: "", end: false, selfClosing: false };
  attrName = "";
  /** The last start tag's name, for the "appropriate end tag" check of text states. */
  #lastStart = "";
  /** Where a text state's `<` detour returns to. */
  #ret: State = "data";
  #buf = "";

  constructor(readonly hooks: TokenizerHooks) {}

  step(c: string): void {
    while (this.#consume(c)) {
      /* reconsume */
    }
  }

  /** Returns true to reconsume `c` in the new state. */
  #consume(c: string): boolean {
    const lc = c.toLowerCase();
    switch (this.state) {
      case "data": if (c === "<") this.state = "tagOpen"; return false;
      case "rcdata": case "rawtext": if (c === "<") { this.#ret = this.state; this.state = "textLt"; } return false;
      case "scriptData": if (c === "<") this.state = "scriptLt"; return false;
      case "plaintext": return false;
      case "tagOpen":
        if (c === "!") { this.state = "markupDecl"; this.#buf = ""; return false; }
        if (c === "/") { this.state = "endTagOpen"; return false; }
        if (isAlpha(c)) return this.#newTag(false);
        if (c === "?") return this.#to("bogusComment");
        return this.#to("data");
      case "endTagOpen":
        if (isAlpha(c)) return this.#newTag(true);
        if (c === ">") { this.state = "data"; return false; }
        return this.#to("bogusComment");
      case "tagName":
        if (isWs(c)) this.state = "beforeAttrName";
        else if (c === "/") this.state = "selfClosing";
        else if (c === ">") this.#emit();
        else this.tag.name += lc;
        return false;
      case "beforeAttrName":
        if (isWs(c)) return false;
        if (c === "/" || c === ">") return this.#to("afterAttrName");
        this.hooks.attrStart();
        this.attrName = c === "=" ? "=" : "";
        this.state = "attrName";
        return c !== "=";
      case "attrName":
        if (isWs(c) || c === "/" || c === ">") return this.#to("afterAttrName");
        if (c === "=") this.state = "beforeAttrValue";
        else this.attrName += lc;
        return false;
      case "afterAttrName":
        if (isWs(c)) return false;
        if (c === "/") this.state = "selfClosing";
        else if (c === "=") this.state = "beforeAttrValue";
        else if (c === ">") this.#emit();
        else { this.hooks.attrStart(); this.attrName = ""; return this.#to("attrName"); }
        return false;
      case "beforeAttrValue":
        if (isWs(c)) return false;
        if (c === '"' || c === "'") { this.hooks.valueStart(c); this.state = c === '"' ? "attrValueDq" : "attrValueSq"; return false; }
        if (c === ">") { this.#emit(); return false; }
        this.hooks.valueStart("");
        return this.#to("attrValueUnq");
      case "attrValueDq": case "attrValueSq":
        if (c === (this.state === "attrValueDq" ? '"' : "'")) { this.hooks.valueEnd(); this.state = "afterAttrValueQuoted"; }
        return false;
      case "attrValueUnq":
        if (isWs(c)) { this.hooks.valueEnd(); this.state = "beforeAttrName"; }
        else if (c === ">") { this.hooks.valueEnd(); this.#emit(); }
        return false;
      case "afterAttrValueQuoted":
        if (isWs(c)) this.state = "beforeAttrName";
        else if (c === "/") this.state = "selfClosing";
        else if (c === ">") this.#emit();
        else return this.#to("beforeAttrName");
        return false;
      case "selfClosing":
        if (c === ">") { this.tag.selfClosing = true; this.#emit(); return false; }
        return this.#to("beforeAttrName");
      case "markupDecl": return this.#markupDecl(c);
      case "commentStart":
        if (c === "-") this.state = "commentStartDash";
        else if (c === ">") this.state = "data";
        else return this.#to("comment");
        return false;
      case "commentStartDash":
        if (c === "-") this.state = "commentEnd";
        else if (c === ">") this.state = "data";
        else return this.#to("comment");
        return false;
      // The comment less-than-sign states only report nested-comment parse errors; `--` is what ends a comment.
      case "comment": if (c === "-") this.state = "commentEndDash"; return false;
      case "commentEndDash": if (c === "-") { this.state = "commentEnd"; return false; } return this.#to("comment");
      case "commentEnd":
        if (c === ">") this.state = "data";
        else if (c === "!") this.state = "commentEndBang";
        else if (c !== "-") return this.#to("comment");
        return false;
      case "commentEndBang":
        if (c === "-") this.state = "commentEndDash";
        else if (c === ">") this.state = "data";
        else return this.#to("comment");
        return false;
      // A `>` ends a doctype in every doctype state (inside quoted identifiers it is an abrupt end).
      case "bogusComment": case "doctype": if (c === ">") this.state = "data"; return false;
      case "cdata": if (c === "]") this.state = "cdataBracket"; return false;
      case "cdataBracket": if (c === "]") { this.state = "cdataEnd"; return false; } return this.#to("cdata");
      case "cdataEnd":
        if (c === ">") this.state = "data";
        else if (c !== "]") return this.#to("cdata");
        return false;
      case "textLt":
        if (c === "/") { this.state = "textEndOpen"; return false; }
        return this.#to(this.#ret);
      case "textEndOpen":
        if (isAlpha(c)) { this.#buf = ""; return this.#to("textEndName"); }
        return this.#to(this.#ret);
      case "textEndName": {
        const fits = this.#buf === this.#lastStart;
        if (fits && (isWs(c) || c === "/" || c === ">")) {
          this.tag = { name: this.#buf, end: true, selfClosing: false };
          if (c === ">") this.#emit();
          else this.state = isWs(c) ? "beforeAttrName" : "selfClosing";
          return false;
        }
        if (isAlpha(c)) { this.#buf += lc; return false; }
        return this.#to(this.#ret);
      }
      default: return this.#script(c, lc);
    }
  }

  #script(c: string, lc: string): boolean {
    switch (this.state) {
      case "scriptLt":
        if (c === "/") { this.#ret = "scriptData"; this.state = "textEndOpen"; return false; }
        if (c === "!") { this.state = "scriptEscapeStart"; return false; }
        return this.#to("scriptData");
      case "scriptEscapeStart": if (c === "-") { this.state = "scriptEscapeStartDash"; return false; } return this.#to("scriptData");
      case "scriptEscapeStartDash": if (c === "-") { this.state = "scriptEscapedDashDash"; return false; } return this.#to("scriptData");
      case "scriptEscaped":
        if (c === "-") this.state = "scriptEscapedDash";
        else if (c === "<") this.state = "scriptEscapedLt";
        return false;
      case "scriptEscapedDash":
        if (c === "-") this.state = "scriptEscapedDashDash";
        else if (c === "<") this.state = "scriptEscapedLt";
        else this.state = "scriptEscaped";
        return false;
      case "scriptEscapedDashDash":
        if (c === "<") this.state = "scriptEscapedLt";
        else if (c === ">") this.state = "scriptData";
        else if (c !== "-") this.state = "scriptEscaped";
        return false;
      case "scriptEscapedLt":
        if (c === "/") { this.#ret = "scriptEscaped"; this.state = "textEndOpen"; return false; }
        if (isAlpha(c)) { this.#buf = ""; return this.#to("scriptDoubleEscapeStart"); }
        return this.#to("scriptEscaped");
      case "scriptDoubleEscapeStart":
      case "scriptDoubleEscapeEnd": {
        const starting = this.state === "scriptDoubleEscapeStart";
        if (isWs(c) || c === "/" || c === ">") {
          const isScript = this.#buf === "script";
          this.state = starting === isScript ? "scriptDoubleEscaped" : "scriptEscaped";
          return false;
        }
        if (isAlpha(c)) { this.#buf += lc; return false; }
        return this.#to(starting ? "scriptEscaped" : "scriptDoubleEscaped");
      }
      case "scriptDoubleEscaped":
        if (c === "-") this.state = "scriptDoubleEscapedDash";
        else if (c === "<") this.state = "scriptDoubleEscapedLt";
        return false;
      case "scriptDoubleEscapedDash":
        if (c === "-") this.state = "scriptDoubleEscapedDashDash";
        else this.state = c === "<" ? "scriptDoubleEscapedLt" : "scriptDoubleEscaped";
        return false;
      case "scriptDoubleEscapedDashDash":
        if (c === "<") this.state = "scriptDoubleEscapedLt";
        else if (c === ">") this.state = "scriptData";
        else if (c !== "-") this.state = "scriptDoubleEscaped";
        return false;
      case "scriptDoubleEscapedLt":
        if (c === "/") { this.#buf = ""; this.state = "scriptDoubleEscapeEnd"; return false; }
        return this.#to("scriptDoubleEscaped");
      default: return false;
    }
  }

  /** `<!` looks ahead for `--`, `DOCTYPE` or `[CDATA[`; anything else is a bogus comment from here on. */
  #markupDecl(c: string): boolean {
    const buf = this.#buf + c;
    const match = DECLS.find((d, i) => (i === 1 ? d.startsWith(buf.toLowerCase()) : d.startsWith(buf)));
    if (match === undefined) return this.#to("bogusComment");
    this.#buf = buf;
    if (buf.length < match.length) return false;
    if (match === "--") this.state = "commentStart";
    else if (match === "doctype") this.state = "doctype";
    // Outside foreign content `<![CDATA[` is a bogus comment that ends at the first `>`.
    else this.state = this.hooks.foreign() ? "cdata" : "bogusComment";
    return false;
  }

  #newTag(end: boolean): boolean {
    this.tag = { name: "", end, selfClosing: false };
    return this.#to("tagName");
  }

  #emit(): void {
    if (!this.tag.end) this.#lastStart = this.tag.name;
    this.state = this.hooks.tagEnd(this.tag);
  }

  #to(state: State): true {
    this.state = state;
    return true;
  }
}
