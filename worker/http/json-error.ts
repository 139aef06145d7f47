export interface JsonErrorLocation {
  /** Zero-based UTF-16 offset of the first offending character. */
  position: number;
  /** One-based line and column. */
  line: number;
  column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Where `text` stops being valid JSON. V8's own messages carry a position only
 * for some errors ("Unexpected token 'x', ... is not valid JSON" has none), so
 * this small scanner finds it; it runs only after JSON.parse has failed.
 */
export function locateJsonError(text: string): JsonErrorLocation {
  const position = scan(text);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { position, line, column: position - lineStart + 1 };
}

function scan(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < " ") fail();
      if (ch === '"') return void i++;
      if (ch !== "\\") {
        i++;
        continue;
      }
      i++;
      const esc = text[i];
      if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
      else if (esc === "u" && HEX4.test(text.slice(i + 1, i + 5))) i += 5;
      else fail();
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === "}") {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) return void (i += num[0].length);
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) return void (i += literal.length);
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (err) {
    // A number is our own signal; anything else (nesting deep enough to overflow) stops where we were.
    return typeof err === "number" ? err : i;
  }
}
