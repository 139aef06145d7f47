/**
 * The registry Durable Object: one per clustered component instance (named by
 * registryName), fed by its relays' heartbeats and read by the Worker (which
 * caches its RoutingMap briefly, so it is not on the connect path). Its alarm
 * drops relays that went silent and tells each to close its sockets with 4011,
 * so their viewers reconnect at once and resume on a live relay. Hubs beat
 * here too (kind "hub"): tracked and dropped alike, never routed to.
 */
import { DurableObject } from "cloudflare:workers";
import { HUB_BINDING, namespaceIn, RELAY_BINDING } from "./bindings";
import type { RelayHeartbeat, RoutingMap } from "./contracts";
import { RegistryBook } from "./registry-book";

interface Stored {
  beat: RelayHeartbeat;
  jurisdiction?: DurableObjectJurisdiction;
  heartbeatMs: number;
}

/** Used until a relay has told the registry its interval. */
const DEFAULT_HEARTBEAT_MS = 5000;

export class StratusRegistry extends DurableObject {
  #book: RegistryBook;
  #heartbeatMs: number;
  #jurisdiction: DurableObjectJurisdiction | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS _stratus_registry (relay TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const stored = ctx.storage.sql.exec<{ value: string }>("SELECT value FROM _stratus_registry").toArray().map((r) => JSON.parse(r.value) as Stored);
    this.#heartbeatMs = stored[0]?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#jurisdiction = stored[0]?.jurisdiction;
    this.#book = new RegistryBook({ heartbeatMs: this.#heartbeatMs }, stored.map((s) => s.beat));
  }

  /** A relay's report; `heartbeatMs` is the interval its setup beats at (the silence windows follow it). */
  async heartbeat(beat: RelayHeartbeat, jurisdiction?: DurableObjectJurisdiction, heartbeatMs?: number): Promise<void> {
    if (heartbeatMs !== undefined && heartbeatMs !== this.#heartbeatMs) {
      this.#heartbeatMs = heartbeatMs;
      this.#book = new RegistryBook({ heartbeatMs }, this.#all());
    }
    this.#jurisdiction = jurisdiction;
    if (!this.#book.beat(beat)) return;
    const stored: Stored = { beat, heartbeatMs: this.#heartbeatMs, ...(jurisdiction ? { jurisdiction } : {}) };
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO _stratus_registry (relay, value) VALUES (?, ?)", beat.relay, JSON.stringify(stored));
    await this.#schedule();
  }

  /** A relay that went idle on its own (no viewers): not a failure, no close. */
  forget(relay: string): void {
    this.#book.forget(relay);
    this.ctx.storage.sql.exec("DELETE FROM _stratus_registry WHERE relay = ?", relay);
  }

  routes(component: string, key: string): RoutingMap {
    return this.#book.routes(component, key, Date.now());
  }

  override async alarm(): Promise<void> {
    for (const b of this.#book.expire(Date.now())) {
      this.ctx.storage.sql.exec("DELETE FROM _stratus_registry WHERE relay = ?", b.relay);
      // A silent relay may still hold sockets (overloaded, partitioned): they go to live relays.
      // A silent hub stops pulling from its root; its relays' next heartbeat wakes it again.
      try {
        await (namespaceIn(this.env, b.kind === "hub" ? HUB_BINDING : RELAY_BINDING, this.#jurisdiction).getByName(b.relay) as unknown as { drop(): Promise<void> }).drop();
      } catch (err) {
        console.error(`registry: closing dropped relay ${b.relay} failed`, err);
      }
    }
    await this.#schedule();
  }

  async #schedule(): Promise<void> {
    const next = this.#book.nextCheck();
    if (next === undefined) return this.ctx.storage.deleteAlarm();
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }

  #all(): RelayHeartbeat[] {
    return this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM _stratus_registry").toArray().map((r) => (JSON.parse(r.value) as Stored).beat);
  }
}
