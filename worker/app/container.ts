import type { Token } from "./token";

export type Factory<T> = (c: Container) => T;

type Lifetime = "singleton" | "scoped";

interface Binding<T> {
  readonly lifetime: Lifetime;
  readonly factory: Factory<T>;
}

export class MissingBindingError extends Error {
  constructor(readonly token: string, chain: readonly string[] = []) {
    const via = chain.length > 0 ? ` (needed by ${chain.join(" -> ")})` : "";
    super(`No binding for "${token}" in the container${via}. Register it in a ServiceProvider.`);
    this.name = "MissingBindingError";
  }
}

export class CircularDependencyError extends Error {
  constructor(chain: readonly string[]) {
    super(`Circular dependency: ${chain.join(" -> ")}`);
    this.name = "CircularDependencyError";
  }
}

/**
 * Dependency container with two lifetimes: singletons live as long as the
 * isolate (created once, shared by every request), scoped services live for
 * one request (created once per scope). A scope reads singletons from its
 * root, so a request never rebuilds isolate-wide services.
 */
export class Container {
  readonly #bindings: Map<string, Binding<unknown>>;
  readonly #instances = new Map<string, unknown>();
  readonly #root: Container | undefined;
  readonly #resolving: string[];

  constructor(root?: Container) {
    this.#root = root;
    this.#bindings = root ? root.#bindings : new Map();
    // Factories run synchronously, so one resolution stack per isolate is enough; scopes share it.
    this.#resolving = root ? root.#resolving : [];
  }

  /** One instance per isolate. */
  singleton<T>(token: Token<T>, factory: Factory<T>): this {
    this.#bindings.set(token.name, { lifetime: "singleton", factory });
    this.#instances.delete(token.name);
    return this;
  }

  /** One instance per request scope. */
  scoped<T>(token: Token<T>, factory: Factory<T>): this {
    this.#bindings.set(token.name, { lifetime: "scoped", factory });
    return this;
  }

  /** A ready value: in the root, isolate-wide; in a scope, for that request only. */
  value<T>(token: Token<T>, value: T): this {
    if (!this.#root) this.#bindings.set(token.name, { lifetime: "singleton", factory: () => value });
    this.#instances.set(token.name, value);
    return this;
  }

  has(token: Token<unknown>): boolean {
    return this.#instances.has(token.name) || this.#bindings.has(token.name);
  }

  resolve<T>(token: Token<T>): T {
    if (this.#instances.has(token.name)) return this.#instances.get(token.name) as T;
    const binding = this.#bindings.get(token.name) as Binding<T> | undefined;
    if (!binding) throw new MissingBindingError(token.name, this.#resolving);
    if (binding.lifetime === "singleton" && this.#root) return this.#root.resolve(token);
    if (binding.lifetime === "scoped" && !this.#root) {
      throw new Error(`"${token.name}" is request-scoped: resolve it from a request scope, not the application container.`);
    }
    if (this.#resolving.includes(token.name)) {
      throw new CircularDependencyError([...this.#resolving, token.name]);
    }
    this.#resolving.push(token.name);
    try {
      const instance = binding.factory(this);
      this.#instances.set(token.name, instance);
      return instance;
    } finally {
      this.#resolving.pop();
    }
  }

  /** A child container for one request. */
  createScope(): Container {
    return new Container(this.#root ?? this);
  }
}
