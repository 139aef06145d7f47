import type { AppConfig } from "../../config";
import { NotFoundError } from "../http/errors";

/**
 * Maps a component name (what a page mounts and what /live/<name>/<key>
 * names) to its Durable Object namespace, from config/components.ts.
 */
export class ComponentRegistry {
  readonly #registry: Readonly<Record<string, string>>;
  readonly #env: Record<string, unknown>;

  constructor(env: Env, config: AppConfig) {
    this.#registry = config.components.registry;
    this.#env = env as unknown as Record<string, unknown>;
  }

  names(): string[] {
    return Object.keys(this.#registry);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#registry, name);
  }

  namespace(name: string): DurableObjectNamespace {
    const binding = Object.hasOwn(this.#registry, name) ? this.#registry[name] : undefined;
    if (binding === undefined) {
      throw new NotFoundError(`Unknown live component "${name}". Known: ${this.names().join(", ") || "none"}.`);
    }
    const ns = this.#env[binding];
    if (!ns) throw new Error(`Component "${name}" is registered to binding ${binding}, which wrangler.toml does not declare.`);
    return ns as DurableObjectNamespace;
  }

  /** The stub for one instance: `(component, key)` addresses exactly one object. */
  stub(name: string, key: string): DurableObjectStub {
    return this.namespace(name).getByName(key);
  }
}
