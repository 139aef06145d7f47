import { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import { defineModule, type Module } from "../app/module";
import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV } from "../app/tokens";
import { ComponentRegistry } from "./component-registry";
import { CacheApiStore } from "../cache/stores/cache-api";
import { ComponentService } from "./component-service";
import { RenderCache } from "./render-cache";
import { RenderEngine } from "./render-engine";
import { COMPONENT_REGISTRY, COMPONENTS, RENDER_ENGINE } from "./tokens";

/** Binds the render engine and live component services; configure layouts on the engine in your own provider's boot. */
export function templatingProvider(engine: RenderEngine = new RenderEngine()): ServiceProvider {
  return {
    name: "templating",
    register(app) {
      app.container
        .value(RENDER_ENGINE, engine)
        .singleton(COMPONENT_REGISTRY, (c) => {
          const { components, cluster } = c.resolve(CONFIG);
          const jurisdiction = (name: string) => cluster.components[name]?.jurisdiction ?? cluster.jurisdiction;
          return new ComponentRegistry(c.resolve(ENV), components.registry, ClusterManager.fromConfig(cluster), jurisdiction);
        })
        .singleton(COMPONENTS, (c) => {
          const config = c.resolve(CONFIG);
          const { tokenTtl, renderCacheMs } = config.components;
          const renderCache = renderCacheMs > 0 ? new RenderCache({ store: new CacheApiStore(), maxStaleMs: renderCacheMs }) : undefined;
          return new ComponentService(c.resolve(COMPONENT_REGISTRY), { secret: config.app.key, tokenTtl, ...(renderCache ? { renderCache } : {}) });
        });
    },
  };
}

/** Views and live mounts as a module: the render engine, the component registry and `live()`. */
export function templatingModule(engine?: RenderEngine): Module {
  return defineModule({ name: "templating", providers: [templatingProvider(engine)] });
}
