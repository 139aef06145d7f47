import { signMountToken } from "../../durable-objects/realtime/mount-token";
import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { escapeHtml } from "./escape";
import { raw, RawHtml, TemplateError } from "./html";
import type { ComponentRegistry } from "./component-registry";
import type { RenderSource, RenderSources } from "./render-source";
import { toHtml } from "./wire";

/** The RPC surface a component Durable Object offers to page renders. */
export interface RenderableComponent {
  /** `publish`: the Worker reads published renders and missed (the root publishes from then on). */
  currentRender(publish?: boolean): Promise<RenderFrame>;
}

/** How a mount is rendered: extra attributes for the mount element, and who the token is for. */
export interface LiveProps {
  /**
   * Caller identity bound into the mount token (the component's `authorize`
   * sees it). Defaults to the request's signed-in user (identify()); the
   * refresh route renews a user-bound token only for that same user.
   */
  user?: string;
  /** Extra attributes on the mount element (class, id, aria-*); data-live* are reserved. */
  attrs?: Record<string, string | number | boolean>;
  /** Mount element tag; `div` by default. */
  tag?: "div" | "section" | "article" | "aside" | "main" | "span" | "li" | "tbody";
  /** Ask the root even when a cached render is fresh (a page right after its own write, say). */
  fresh?: boolean;
}

const ATTR_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

/**
 * Renders live component mounts into pages: the component's current HTML,
 * server-rendered from its object's current state, inside a mount element
 * that carries what the browser runtime needs to go live (component, key,
 * signed token, seq). The page is complete and readable before any script runs.
 */
export class ComponentService {
  readonly #registry: ComponentRegistry;
  readonly #secret: string;
  readonly #ttl: number;
  readonly #renders: RenderSources;
  readonly #user: string | undefined;

  /**
   * With `renders` (one source for every component, or a choice per component), mounts are served from
   * cached or published renders (see RenderCache and PublishedRenders for their freshness).
   */
  constructor(registry: ComponentRegistry, options: { secret: string; tokenTtl: number; renders?: RenderSource | RenderSources | undefined; user?: string }) {
    this.#registry = registry;
    this.#secret = options.secret;
    this.#ttl = options.tokenTtl;
    const r = options.renders;
    this.#renders = typeof r === "function" ? r : () => r;
    this.#user = options.user;
  }

  /** The same service for one request's user: its mounts' tokens carry that user (the cached render is shared). */
  forUser(user: string): ComponentService {
    return new ComponentService(this.#registry, { secret: this.#secret, tokenTtl: this.#ttl, renders: this.#renders, user });
  }

  /** `${components.live("counter", "main")}` inside a page (pages accept async values). */
  async live(name: string, key: string, props: LiveProps = {}): Promise<RawHtml> {
    // A sharded component's key is an entity key: the mount (and so its socket) names the shard's object.
    const instance = this.#registry.instance(name, key);
    const object = this.#registry.stub(name, instance);
    const load = (publish?: boolean) => (object as unknown as RenderableComponent).currentRender(publish);
    const user = props.user ?? this.#user;
    const source = props.fresh ? undefined : this.#renders(name);
    const [frame, token] = await Promise.all([
      source ? source.render({ component: name, key: instance, objectId: object.id.toString() }, load) : load(),
      signMountToken(this.#secret, { component: name, key: instance, ttlSeconds: this.#ttl, ...(user !== undefined ? { user } : {}) }),
    ]);
    return mountElement({ name, key: instance, token, seq: frame.seq, epoch: frame.epoch, rid: frame.rid, inner: toHtml(frame.dynamics, frame.statics), props });
  }
}

/** The mount element; exported for tests and for pages that render a frame they already hold. */
export function mountElement(m: { name: string; key: string; token: string; seq: number; epoch?: string; rid?: string; inner: string; props?: LiveProps }): RawHtml {
  const tag = m.props?.tag ?? "div";
  let extra = "";
  for (const [attr, value] of Object.entries(m.props?.attrs ?? {})) {
    if (!ATTR_NAME.test(attr) || /^on/i.test(attr) || attr.toLowerCase().startsWith("data-live")) {
      throw new TemplateError(`Attribute "${attr}" cannot be set on a live mount.`);
    }
    if (value === false) continue;
    extra += value === true ? ` ${attr}` : ` ${attr}="${escapeHtml(String(value))}"`;
  }
  const e = escapeHtml;
  // The epoch and rid of the embedded render go back in the client's hello, so a deploy between the
  // page render and the connect gets a full render instead of diffs for other templates.
  const shows = (m.epoch !== undefined ? ` data-live-epoch="${e(m.epoch)}"` : "") + (m.rid !== undefined ? ` data-live-rid="${e(m.rid)}"` : "");
  return raw(
    `<${tag} data-live="${e(m.name)}" data-live-key="${e(m.key)}" data-live-token="${e(m.token)}" data-live-seq="${m.seq}"${shows} data-live-state="connecting"${extra}>${m.inner}</${tag}>`,
  );
}
