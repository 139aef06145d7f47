import type { Router } from "../routing/router";
import type { ServiceProvider } from "./service-provider";

/** A feature packaged as providers plus routes. Applications are a list of modules. */
export interface Module {
  readonly name: string;
  readonly providers?: readonly ServiceProvider[];
  routes?(router: Router): void;
}

export function defineModule(module: Module): Module {
  return module;
}
