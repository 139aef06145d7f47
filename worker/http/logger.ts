export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/** Structured JSON logs: one object per line, always carrying the bound fields (request id...). */
export class Logger {
  /** The bound fields as JSON members (`"a":1,"b":2`), serialised once per logger, not per line. */
  readonly #boundJson: string;
  readonly #boundHasObjects: boolean;

  constructor(
    readonly level: LogLevel = "info",
    readonly fields: LogFields = {},
    private readonly sink: (line: string, level: LogLevel) => void = defaultSink,
    /** The members of `fields` already serialised, when a parent could join them cheaply. */
    boundJson?: string,
  ) {
    this.#boundHasObjects = hasObjects(fields);
    this.#boundJson = this.#boundHasObjects ? "" : (boundJson ?? members(fields));
  }

  /** A logger whose lines also carry `fields` (a request's id, say); made per request, so kept cheap. */
  child(fields: LogFields): Logger {
    const merged = { ...this.fields, ...fields };
    let bound: string | undefined;
    if (!this.#boundHasObjects && !overrides(this.fields, fields)) {
      const extra = members(fields);
      bound = this.#boundJson && extra ? `${this.#boundJson},${extra}` : this.#boundJson || extra;
    }
    return new Logger(this.level, merged, this.sink, bound);
  }

  debug(msg: string, fields?: LogFields): void { this.#log("debug", msg, fields); }
  info(msg: string, fields?: LogFields): void { this.#log("info", msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.#log("warn", msg, fields); }
  error(msg: string, fields?: LogFields): void { this.#log("error", msg, fields); }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const time = new Date().toISOString();
    if (this.#boundHasObjects || hasObjects(fields)) {
      // Errors and nested objects need the replacer (and a real merge); plain lines, the common case, do not.
      const entry = { level, msg, time, ...this.fields, ...fields };
      this.sink(JSON.stringify(entry, errorReplacer), level);
      return;
    }
    // Access logs run on every request: join pre-serialised members instead of spreading objects.
    // A key given again in `fields` appears twice; JSON readers keep the last, as the spread did.
    let line = `{"level":"${level}","msg":${JSON.stringify(msg)},"time":"${time}"`;
    if (this.#boundJson) line += `,${this.#boundJson}`;
    const extra = fields ? members(fields) : "";
    if (extra) line += `,${extra}`;
    this.sink(`${line}}`, level);
  }
}

/** `{"a":1}` -> `"a":1`; "" for an empty object. */
function members(fields: LogFields): string {
  const json = JSON.stringify(fields);
  return json.length > 2 ? json.slice(1, -1) : "";
}

function overrides(base: LogFields, extra: LogFields): boolean {
  for (const key in extra) if (key in base) return true;
  return false;
}

function hasObjects(fields: LogFields | undefined): boolean {
  if (!fields) return false;
  for (const key in fields) {
    const v = fields[key];
    if (typeof v === "object" && v !== null) return true;
  }
  return false;
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function defaultSink(line: string, level: LogLevel): void {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
