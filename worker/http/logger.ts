export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured JSON logs: one object per line, always carrying the bound fields
 * (request id...). A child is made per request, so it only remembers its parent
 * and its own fields; what it binds is merged and serialised on its first line.
 */
export class Logger {
  /** `,"a":1,"b":2`, or null when a bound value needs the full serialiser (objects, errors). Made on first use. */
  #bound: string | null | undefined;
  #fields: LogFields | undefined;

  constructor(
    readonly level: LogLevel = "info",
    /** This logger's own bound fields; a child's lines also carry its parent's. */
    private readonly own: LogFields = {},
    private readonly sink: (line: string, level: LogLevel) => void = defaultSink,
    private readonly parent?: Logger,
  ) {}

  /** Every bound field, a child's own values replacing its parent's. */
  get fields(): LogFields {
    return (this.#fields ??= this.parent ? { ...this.parent.fields, ...this.own } : this.own);
  }

  /** A logger whose lines also carry `fields` (a request's id, say). */
  child(fields: LogFields): Logger {
    return new Logger(this.level, fields, this.sink, this);
  }

  debug(msg: string, fields?: LogFields): void { this.#log("debug", msg, fields); }
  info(msg: string, fields?: LogFields): void { this.#log("info", msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.#log("warn", msg, fields); }
  error(msg: string, fields?: LogFields): void { this.#log("error", msg, fields); }

  #boundJson(): string | null {
    if (this.#bound !== undefined) return this.#bound;
    const parent = this.parent;
    if (hasObjects(this.own)) return (this.#bound = null);
    if (!parent) return (this.#bound = members(this.own));
    const inherited = parent.#boundJson();
    // Parent's members then ours, unless a key repeats: then serialise the merge, so it is written once.
    if (inherited !== null && !overrides(parent.fields, this.own)) return (this.#bound = inherited + members(this.own));
    return (this.#bound = hasObjects(this.fields) ? null : members(this.fields));
  }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const time = new Date().toISOString();
    const bound = this.#boundJson();
    if (bound === null || hasObjects(fields)) {
      // Errors and nested objects need the replacer (and a real merge); plain lines, the common case, do not.
      const entry = { level, msg, time, ...this.fields, ...fields };
      this.sink(JSON.stringify(entry, errorReplacer), level);
      return;
    }
    // Access logs run on every request: join pre-serialised members instead of spreading objects.
    // A key given again in `fields` appears twice; JSON readers keep the last, as the spread did.
    const extra = fields === undefined ? "{}" : JSON.stringify(fields);
    const head = '{"level":"' + level + '","msg":' + JSON.stringify(msg) + ',"time":"' + time + '"' + bound;
    this.sink(extra.length > 2 ? head + "," + extra.slice(1) : head + "}", level);
  }
}

/** `{"a":1}` -> `,"a":1`; "" for an empty object. */
function members(fields: LogFields): string {
  const json = JSON.stringify(fields);
  return json.length > 2 ? "," + json.slice(1, -1) : "";
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

export function defaultSink(line: string, level: LogLevel): void {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
