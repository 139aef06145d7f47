import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { CacheApiStore } from "../cache/stores/cache-api";
import { PublishedRenders } from "./published-renders";
import { RenderCache } from "./render-cache";

/** Which instance a mount shows: its names, and its object's id (hex), which names it in a shared store. */
export interface MountAddress {
  component: string;
  key: string;
  objectId: string;
}

/** Where a page's mount gets its server render when it need not ask the root each time (RenderCache, PublishedRenders). */
export interface RenderSource {
  /** The render to embed; `load` asks the root (`publish`: and has it publish its render from then on). */
  render(mount: MountAddress, load: (publish?: boolean) => Promise<RenderFrame>): Promise<RenderFrame>;
}

/** Which source a component's mounts use: from config/cluster.ts `renders`, LIVE_RENDER_CACHE_MS and LIVE_RENDER_KV. */
export type RenderSources = (component: string) => RenderSource | undefined;

export interface RenderSourceConfig {
  renderCacheMs: number;
  renderKv: string;
  renders: Readonly<Record<string, "root" | "cached" | "published" | undefined>>;
}

/** The sources, built once per isolate; a component asking for a source its settings do not allow is a configuration error. */
export function renderSources(config: RenderSourceConfig, env: Record<string, unknown>): RenderSources {
  const cached = config.renderCacheMs > 0 ? new RenderCache({ store: new CacheApiStore(), maxStaleMs: config.renderCacheMs }) : undefined;
  const wants = Object.entries(config.renders);
  for (const [name, r] of wants) {
    if (r !== undefined && r !== "root" && r !== "cached" && r !== "published") throw new Error(`${name}: renders is "${String(r)}"; use "root", "cached" or "published".`);
  }
  const publishers = wants.filter(([, r]) => r === "published").map(([name]) => name);
  let published: PublishedRenders | undefined;
  if (publishers.length > 0) {
    if (config.renderKv === "") throw new Error(`${publishers.join(", ")} ${publishers.length > 1 ? "have" : "has"} renders: "published", which needs LIVE_RENDER_KV naming a KV binding.`);
    const kv = env[config.renderKv] as Partial<KVNamespace> | undefined;
    if (!kv || typeof kv.get !== "function" || typeof kv.put !== "function") {
      throw new Error(`LIVE_RENDER_KV is "${config.renderKv}", but the Worker has no KV binding of that name (add it under [[kv_namespaces]] in wrangler.toml).`);
    }
    published = new PublishedRenders(kv as KVNamespace);
  }
  const uncached = wants.filter(([, r]) => r === "cached").map(([name]) => name);
  if (uncached.length > 0 && !cached) throw new Error(`${uncached.join(", ")}: renders: "cached" needs LIVE_RENDER_CACHE_MS > 0.`);
  return (component) => {
    const r = config.renders[component];
    return r === "published" ? published : r === "root" ? undefined : cached;
  };
}
