/** Raised at boot when configuration is missing or malformed; names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type RawEnv = Record<string, unknown>;

/** Reads vars and secrets from the Worker env with defaults and type checks. */
export class EnvReader {
  constructor(readonly raw: RawEnv) {}

  #get(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  string(name: string, fallback: string): string {
    return this.#get(name) ?? fallback;
  }

  optional(name: string): string | undefined {
    return this.#get(name);
  }

  /** A secret or var that has no safe default: boot fails without it. */
  required(name: string, hint = "set it in .dev.vars locally or with `wrangler secret put` in production"): string {
    const v = this.#get(name);
    if (v === undefined) throw new ConfigError(name, `Missing required environment variable ${name}: ${hint}.`);
    return v;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.#get(name);
    if (v === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new ConfigError(name, `Environment variable ${name} must be a boolean (true/false), got "${v}".`);
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const v = this.#get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ConfigError(name, `Environment variable ${name} must be an integer, got "${v}".`);
    if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
      throw new ConfigError(name, `Environment variable ${name} must be between ${range.min ?? "-∞"} and ${range.max ?? "∞"}, got ${n}.`);
    }
    return n;
  }

  /** An HTTP header name (an RFC 9110 token), lowercased. */
  header(name: string, fallback: string): string {
    const v = this.#get(name);
    if (v === undefined) return fallback;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) {
      throw new ConfigError(name, `Environment variable ${name} must be an HTTP header name, got "${v}".`);
    }
    return v.toLowerCase();
  }

  /** Comma-separated list. */
  list(name: string, fallback: readonly string[]): string[] {
    const v = this.#get(name);
    if (v === undefined) return [...fallback];
    return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** A binding that must exist (D1, KV, Queue, DO namespace...). */
  binding<T>(name: string): T {
    const v = this.raw[name];
    if (v === undefined || v === null) {
      throw new ConfigError(name, `Missing binding ${name}: declare it in wrangler.toml.`);
    }
    return v as T;
  }
}

export interface ConfigDefinition<K extends string, T> {
  readonly key: K;
  load(env: EnvReader): T;
}

/** One typed config file: `export default defineConfig("app", (env) => ({ ... }))`. */
export function defineConfig<K extends string, T>(key: K, load: (env: EnvReader) => T): ConfigDefinition<K, T> {
  return { key, load };
}

export type ConfigOf<D extends readonly ConfigDefinition<string, unknown>[]> = {
  [I in D[number] as I["key"]]: ReturnType<I["load"]>;
};

export function loadConfig<const D extends readonly ConfigDefinition<string, unknown>[]>(
  definitions: D,
  raw: RawEnv,
): ConfigOf<D> {
  const reader = new EnvReader(raw);
  const out: Record<string, unknown> = {};
  for (const def of definitions) out[def.key] = def.load(reader);
  return out as ConfigOf<D>;
}
