import { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import { defineModule, type Module } from "../app/module";
import type { ServiceProvider } from "../app/service-provider";
import { token } from "../app/token";
import { CONFIG, CURRENT_USER_ID, ENV } from "../app/tokens";
import { ComponentRegistry } from "./component-registry";
import { ComponentService } from "./component-service";
import { renderSources } from "./render-source";
import { RenderEngine } from "./render-engine";
import { COMPONENT_REGISTRY, COMPONENTS, RENDER_ENGINE } from "./tokens";

/** The isolate-wide service; COMPONENTS hands each request a copy bound to its user. */
const ANONYMOUS_COMPONENTS = token<ComponentService>("templating.components.anonymous");

/** Binds the render engine and live component services; configure layouts on the engine in your own provider's boot. */
export function templatingProvider(engine: RenderEngine = new RenderEngine()): ServiceProvider {
  return {
    name: "templating",
    register(app) {
      app.container
        .value(RENDER_ENGINE, engine)
        .singleton(COMPONENT_REGISTRY, (c) => {
          const { components, cluster } = c.resolve(CONFIG);
          return new ComponentRegistry(c.resolve(ENV), components.registry, ClusterManager.fromConfig(cluster), (name) => cluster.components[name]?.jurisdiction ?? cluster.jurisdiction);
        })
        .singleton(ANONYMOUS_COMPONENTS, (c) => {
          const config = c.resolve(CONFIG);
          const { tokenTtl, renderCacheMs, renderKv } = config.components;
          const renders = Object.fromEntries(Object.entries(config.cluster.components).map(([name, c]) => [name, c.renders]));
          const sources = renderSources({ renderCacheMs, renderKv, renders }, c.resolve(ENV) as unknown as Record<string, unknown>);
          return new ComponentService(c.resolve(COMPONENT_REGISTRY), { secret: config.app.key, tokenTtl, renders: sources });
        })
        // Request-scoped so `live(name, key)` binds the signed-in user (identify() sets CURRENT_USER_ID) by itself.
        .scoped(COMPONENTS, (scope) => {
          const base = scope.resolve(ANONYMOUS_COMPONENTS);
          return scope.has(CURRENT_USER_ID) ? base.forUser(scope.resolve(CURRENT_USER_ID)) : base;
        });
    },
  };
}

/** Views and live mounts as a module: the render engine, the component registry and `live()`. */
export function templatingModule(engine?: RenderEngine): Module {
  return defineModule({ name: "templating", providers: [templatingProvider(engine)] });
}

