/**
 * A typed key for the container. The name appears in every error about it,
 * so a missing binding says which service was asked for.
 */
export interface Token<T> {
  readonly name: string;
  /** Phantom field: carries T for inference, never set at run time. */
  readonly __type?: T;
}

export function token<T>(name: string): Token<T> {
  return Object.freeze({ name }) as Token<T>;
}
