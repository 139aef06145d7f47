import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { publishedRenderKey, readPublishedRender } from "./published-render";
import type { MountAddress, RenderSource } from "./render-source";

export interface PublishedRendersOptions {
  /**
   * Seconds a location may serve a read from its edge cache (KV's `cacheTtl`, at least 30). A view
   * elsewhere may show a head this much older than the root's; its socket then resumes from there.
   */
  cacheTtl?: number;
}

/**
 * Page views read the render each root publishes to KV (RenderPublisher), so
 * they do not call the root at all while it is published, however many there
 * are. A miss (a cold instance, an expired entry) asks the root with
 * `publish`, which makes it publish from then on; concurrent misses in an
 * isolate share one call.
 *
 * Freshness: what a view shows was the root's head at some instant; it lags
 * the root by at most the publish interval (1 s by default) plus KV's
 * propagation (immediate in one location, up to `cacheTtl` elsewhere). It
 * never goes back, since the root is the key's only writer. The client
 * resumes from the seq it shows, so a lagging view catches up on connect.
 */
export class PublishedRenders implements RenderSource {
  readonly #kv: KVNamespace;
  readonly #cacheTtl: number | undefined;
  readonly #inflight = new Map<string, Promise<RenderFrame>>();
  /** Root calls made (for tests and metrics). */
  loads = 0;

  constructor(kv: KVNamespace, options: PublishedRendersOptions = {}) {
    if (options.cacheTtl !== undefined && !(options.cacheTtl >= 30)) throw new RangeError(`cacheTtl must be at least 30 seconds (KV's minimum), got ${options.cacheTtl}`);
    this.#kv = kv;
    this.#cacheTtl = options.cacheTtl;
  }

  async render(mount: MountAddress, load: (publish?: boolean) => Promise<RenderFrame>): Promise<RenderFrame> {
    const key = publishedRenderKey(mount.objectId);
    const found = readPublishedRender(await this.#kv.get(key, { type: "json", ...(this.#cacheTtl !== undefined ? { cacheTtl: this.#cacheTtl } : {}) }).catch(() => null));
    if (found) return found.frame;
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    this.loads++;
    const run = load(true).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, run);
    return run;
  }
}
