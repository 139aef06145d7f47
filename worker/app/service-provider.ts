import type { Application } from "./application";

/**
 * Registers services into the container (`register`, no resolving yet), then
 * wires them once everything is registered (`boot`). Both run once per isolate.
 */
export interface ServiceProvider {
  readonly name: string;
  register(app: Application): void;
  boot?(app: Application): void | Promise<void>;
}
