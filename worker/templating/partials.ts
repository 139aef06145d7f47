import { TemplateError, type Template } from "./html";

export type Partial<P> = (props: P) => Template;

/**
 * Named partials that layouts and pages include by name, so an application
 * can override a framework partial (the nav, the footer) by registering its
 * own under the same name. Plain functions returning templates are partials
 * too; the registry is for the overridable ones.
 */
export class Partials {
  readonly #partials = new Map<string, Partial<never>>();

  register<P>(name: string, partial: Partial<P>): this {
    this.#partials.set(name, partial as Partial<never>);
    return this;
  }

  has(name: string): boolean {
    return this.#partials.has(name);
  }

  render<P>(name: string, props: P): Template {
    const partial = this.#partials.get(name) as Partial<P> | undefined;
    if (!partial) throw new TemplateError(`Unknown partial "${name}". Known: ${[...this.#partials.keys()].join(", ") || "none"}.`);
    return partial(props);
  }
}
