/** Where a dynamic value sits in the markup, which decides how it is escaped. */
export type SlotKind =
  | { kind: "text" }
  | { kind: "attr"; name: string; url: boolean; handler: boolean; quoted: boolean }
  | { kind: "tag" }
  | { kind: "rawtext"; tag: string };

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "srcset", "ping", "data", "codebase", "manifest"]);
const RAWTEXT_TAGS = new Set(["script", "style"]);

type State = "text" | "tag" | "attrName" | "afterAttrName" | "beforeValue" | "valueDq" | "valueSq" | "valueUnq" | "rawtext" | "comment";

const cache = new WeakMap<readonly string[], SlotKind[]>();

/**
 * Scans a call site's statics once with a small HTML tokenizer to learn each
 * slot's context; cached per call site, so rendering pays nothing for it.
 */
export function slotKinds(strings: readonly string[]): SlotKind[] {
  let kinds = cache.get(strings);
  if (kinds) return kinds;
  kinds = [];
  let state: State = "text";
  let tagName = "";
  let attrName = "";
  let rawTag = "";
  let readingTagName = false;
  for (let s = 0; s < strings.length; s++) {
    const chunk = strings[s]!;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      switch (state) {
        case "text":
          if (ch === "<") {
            if (chunk.startsWith("<!--", i)) {
              state = "comment";
              i += 3;
            } else if (/[a-zA-Z/]/.test(chunk[i + 1] ?? "")) {
              state = "tag";
              tagName = "";
              readingTagName = true;
            }
          }
          break;
        case "comment":
          if (chunk.startsWith("-->", i)) {
            state = "text";
            i += 2;
          }
          break;
        case "rawtext":
          if (ch === "<" && chunk.slice(i + 2, i + 2 + rawTag.length).toLowerCase() === rawTag && chunk[i + 1] === "/") {
            state = "tag";
            tagName = "/" + rawTag;
            readingTagName = false;
            i += 1 + rawTag.length;
          }
          break;
        case "tag":
          if (readingTagName) {
            if (/[\s/>]/.test(ch) && tagName !== "" && tagName !== "/") readingTagName = false;
            else {
              tagName += ch;
              break;
            }
          }
          if (ch === ">") state = enterContent(tagName);
          else if (/[^\s/]/.test(ch)) {
            state = "attrName";
            attrName = ch;
          }
          break;
        case "attrName":
          if (ch === "=") state = "beforeValue";
          else if (ch === ">") state = enterContent(tagName);
          else if (/\s/.test(ch)) state = "afterAttrName";
          else attrName += ch;
          break;
        case "afterAttrName":
          if (ch === "=") state = "beforeValue";
          else if (ch === ">") state = enterContent(tagName);
          else if (/[^\s/]/.test(ch)) {
            state = "attrName";
            attrName = ch;
          }
          break;
        case "beforeValue":
          if (ch === '"') state = "valueDq";
          else if (ch === "'") state = "valueSq";
          else if (ch === ">") state = enterContent(tagName);
          else if (/\S/.test(ch)) state = "valueUnq";
          break;
        case "valueDq":
          if (ch === '"') state = "tag";
          break;
        case "valueSq":
          if (ch === "'") state = "tag";
          break;
        case "valueUnq":
          if (/\s/.test(ch)) state = "tag";
          else if (ch === ">") state = enterContent(tagName);
          break;
      }
    }
    if (s === strings.length - 1) break;
    kinds.push(kindFor(state, attrName, tagName));
    // A value placed right after `=` is an unquoted attribute value.
    if (state === "beforeValue") state = "valueUnq";
  }
  cache.set(strings, kinds);
  return kinds;

  function enterContent(tag: string): State {
    const name = tag.toLowerCase();
    if (RAWTEXT_TAGS.has(name)) {
      rawTag = name;
      return "rawtext";
    }
    return "text";
  }
}

function kindFor(state: State, attrName: string, tagName: string): SlotKind {
  switch (state) {
    case "text":
    case "comment":
      return { kind: "text" };
    case "rawtext":
      return { kind: "rawtext", tag: tagName.toLowerCase() };
    case "beforeValue":
    case "valueDq":
    case "valueSq":
    case "valueUnq": {
      const name = attrName.toLowerCase();
      return { kind: "attr", name, url: URL_ATTRS.has(name), handler: name.startsWith("on"), quoted: state === "valueDq" || state === "valueSq" };
    }
    default:
      return { kind: "tag" };
  }
}
