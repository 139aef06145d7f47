import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { RELAY_HEADER, type RelaySetup } from "../../durable-objects/cluster/bindings";
import { CALLER_HEADER } from "../../durable-objects/realtime/caller-header";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import { LiveClient as Client } from "../../worker/testing/live-client";

export const ORIGIN = "http://localhost:8787";
export const APP_KEY = "test-app-key-0123456789abcdef0123456789abcdef";

/** A real WebSocket client that records every frame and close: the one `stratus/testing` gives apps. */
export { Client };

/** Connects through the Worker route, exactly as a browser would. */
export async function connectViaWorker(component: string, key: string, opts: { user?: string; origin?: string; token?: string } = {}): Promise<Response> {
  const token = opts.token ?? (await signMountToken(APP_KEY, { component, key, ttlSeconds: 60, ...(opts.user ? { user: opts.user } : {}) }));
  return exports.default.fetch(`http://example.com/live/${component}/${key}?token=${encodeURIComponent(token)}`, {
    headers: { Upgrade: "websocket", Origin: opts.origin ?? ORIGIN },
  });
}

/**
 * Connects straight to a test component's object, with the header the Worker would set; through a
 * relay of it when CLUSTER_FORCE_RELAYS is on, unless `root` (a test of the root's own socket
 * mechanics: its presence hooks and counts, its send-loop coalescing).
 */
export async function connectDirect(ns: DurableObjectNamespace, key: string, user?: string, opts: { halfOpen?: boolean; root?: boolean } = {}): Promise<Client> {
  const headers: Record<string, string> = { Upgrade: "websocket", [CALLER_HEADER]: JSON.stringify({ component: "lab", key, ...(user ? { user } : {}) }) };
  const res = FORCE_RELAYS && !opts.root ? await viaRelay(ns, key, headers) : await ns.getByName(key).fetch("https://component/", { headers });
  if (!res.webSocket) throw new Error(`no socket: ${res.status} ${await res.text()}`);
  return new Client(res.webSocket, opts);
}

/**
 * Says hello. `shows` is what the client has on screen (epoch, rid) and its stable client id, which the
 * browser runtime keeps across reconnects; a bare string is the client id alone.
 */
export async function hello(c: Client, since?: number, shows: string | { epoch?: string; rid?: string; client?: string } = {}): Promise<void> {
  const before = c.of("presence").filter((p) => p.list).length;
  const extra = typeof shows === "string" ? { client: shows } : shows;
  c.send({ type: "hello", v: 1, ...(since !== undefined ? { since } : {}), ...extra });
  await c.until((x) => x.of("presence").filter((p) => p.list).length > before);
}

export { env };

/** CLUSTER_FORCE_RELAYS=true (the suite's second run): "direct" sockets go through a relay of that object, as the Worker would send them. */
export const FORCE_RELAYS = (env as { CLUSTER_FORCE_RELAYS?: string }).CLUSTER_FORCE_RELAYS === "true";

/** Evicts `key`'s object as a deploy would, with its relays in the relayed run (a deploy restarts every object of the Worker). */
export async function deploy(ns: DurableObjectNamespace, key: string): Promise<void> {
  await evictDurableObject(ns.getByName(key));
  if (FORCE_RELAYS) await evictDurableObject(relays().getByName(relayOf(ns, key))).catch(() => undefined);
}

const relays = () => (env as unknown as { STRATUS_RELAY: DurableObjectNamespace }).STRATUS_RELAY;
const relayOf = (ns: DurableObjectNamespace, key: string) => `direct|${bindingOf(ns)}|${key}`;

function bindingOf(ns: DurableObjectNamespace): string {
  const binding = Object.keys(env).find((k) => (env as unknown as Record<string, unknown>)[k] === ns);
  if (!binding) throw new Error("connectDirect: the namespace is not a binding of the fixture Worker");
  return binding;
}

async function viaRelay(ns: DurableObjectNamespace, key: string, headers: Record<string, string>): Promise<Response> {
  const setup: RelaySetup = { relay: relayOf(ns, key), component: "lab", key, binding: bindingOf(ns), capacity: 1000, heartbeatMs: 5000 };
  return relays().getByName(setup.relay).fetch("https://relay/", { headers: { ...headers, [RELAY_HEADER]: JSON.stringify(setup) } });
}

import type { ClusterLab } from "../fixtures/cluster-lab";
import type { CompactLab, Lab, ShortIdsLab, SlowLab } from "../fixtures/lab";
import type { UngatedLab } from "../fixtures/ungated-lab";
import type { GhostLab, WireLab } from "../fixtures/wire-lab";
/** Test-only bindings declared in test/fixtures/wrangler.toml. */
export const labs = env as unknown as {
  LAB: DurableObjectNamespace<Lab>;
  SLOW_LAB: DurableObjectNamespace<SlowLab>;
  COMPACT_LAB: DurableObjectNamespace<CompactLab>;
  SHORT_IDS_LAB: DurableObjectNamespace<ShortIdsLab>;
  WIRE_LAB: DurableObjectNamespace<WireLab>;
  GHOST_LAB: DurableObjectNamespace<GhostLab>;
  UNGATED_LAB: DurableObjectNamespace<UngatedLab>;
  COUNTER: Env["COUNTER"];
  CLUSTER_LAB: DurableObjectNamespace<ClusterLab>;
};
