import { token } from "../app/token";
import type { ComponentRegistry } from "./component-registry";
import type { ComponentService } from "./component-service";
import type { RenderEngine } from "./render-engine";

export const RENDER_ENGINE = token<RenderEngine>("templating.engine");
export const COMPONENT_REGISTRY = token<ComponentRegistry>("templating.componentRegistry");
export const COMPONENTS = token<ComponentService>("templating.components");
