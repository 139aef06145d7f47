export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/** Structured JSON logs: one object per line, always carrying the bound fields (request id...). */
export class Logger {
  constructor(
    readonly level: LogLevel = "info",
    readonly fields: LogFields = {},
    private readonly sink: (line: string, level: LogLevel) => void = defaultSink,
  ) {}

  child(fields: LogFields): Logger {
    return new Logger(this.level, { ...this.fields, ...fields }, this.sink);
  }

  debug(msg: string, fields?: LogFields): void { this.#log("debug", msg, fields); }
  info(msg: string, fields?: LogFields): void { this.#log("info", msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.#log("warn", msg, fields); }
  error(msg: string, fields?: LogFields): void { this.#log("error", msg, fields); }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const entry = { level, msg, time: new Date().toISOString(), ...this.fields, ...fields };
    // A replacer function slows JSON.stringify down a lot; only entries carrying objects need one.
    this.sink(hasObjects(fields) || hasObjects(this.fields) ? JSON.stringify(entry, errorReplacer) : JSON.stringify(entry), level);
  }
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
