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

  /** One of a fixed set of words (a driver name, say). */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.#get(name) ?? fallback;
    if (!(choices as readonly string[]).includes(v)) {
      throw new ConfigError(name, `${name} must be one of ${choices.join(", ")}, got "${v}".`);
    }
    return v as T;
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

/**
 * One typed config file. `load` reads vars and secrets; for a key the framework
 * already defines (app, cache, queue...), it also receives the framework's
 * values, so an app file changes only what it needs:
 * `defineConfig("app", (env, app) => ({ ...app, name: env.string("APP_NAME", "Shop") }))`.
 */
export interface ConfigDefinition<K extends string = string, T = unknown> {
  readonly key: K;
  load(env: EnvReader, defaults?: never): T;
}

/** The values an app file for `K` starts from: the framework's, when it defines `K`. */
export type ConfigDefaults<K extends string, Known> = K extends keyof Known ? Known[K] : undefined;

export function defineConfigFor<Known>() {
  return function defineConfig<K extends string, T extends (K extends keyof Known ? Known[K] : unknown)>(
    key: K,
    load: (env: EnvReader, defaults: ConfigDefaults<K, Known>) => T,
  ): ConfigDefinition<K, T> {
    return { key, load: load as (env: EnvReader, defaults?: never) => T };
  };
}

export type ConfigOf<D extends readonly ConfigDefinition[]> = {
  [I in D[number] as I["key"]]: I extends ConfigDefinition<string, infer T> ? T : never;
};

/**
 * Loads definitions in order; a later definition of the same key replaces an
 * earlier one and is handed its values as defaults (framework first, then the app).
 */
export function loadConfig(definitions: readonly ConfigDefinition[], raw: RawEnv): Record<string, unknown> {
  const reader = new EnvReader(raw);
  const out: Record<string, unknown> = {};
  for (const def of definitions) out[def.key] = def.load(reader, out[def.key] as never);
  return out;
}

/** For the framework's own files, which have no defaults to start from. */
export const defineFrameworkConfig = defineConfigFor<Record<never, never>>();
