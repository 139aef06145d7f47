import { describe, expect, it } from "vitest";
import type { RelayHeartbeat } from "../../durable-objects/cluster/contracts";
import { locationHintFor } from "../../durable-objects/cluster/placement";
import { RegistryBook } from "../../durable-objects/cluster/registry-book";
import { EnvReader } from "../../worker/app/config";
import clusterConfig from "../../worker/config/cluster";
import { pick, RelayRouter } from "../../worker/routing/relay-router";

const beat = (relay: string, at: number, sockets = 1, location?: string): RelayHeartbeat => ({ relay, component: "c", key: "k", sockets, capacity: 10, head: null, at, ...(location ? { location } : {}) });

describe("RegistryBook", () => {
  it("routes to a relay while it beats, suspects it after 2 missed beats, drops it after 4", () => {
    const book = new RegistryBook({ heartbeatMs: 1000 });
    book.beat(beat("r1", 0));
    book.beat(beat("r2", 1500));
    expect(book.routes("c", "k", 1000).relays.map((r) => [r.relay, r.state])).toEqual([["r1", "live"], ["r2", "live"]]);
    expect(book.routes("c", "k", 2500).relays.map((r) => [r.relay, r.state])).toEqual([["r1", "suspect"], ["r2", "live"]]);
    expect(book.nextCheck()).toBe(4000);
    expect(book.expire(3999)).toEqual([]);
    expect(book.expire(4000).map((b) => b.relay)).toEqual(["r1"]);
    expect(book.routes("c", "k", 4000).relays.map((r) => r.relay)).toEqual(["r2"]);
  });

  it("keeps the newer of two crossing beats of one relay", () => {
    const book = new RegistryBook({ heartbeatMs: 1000 });
    expect(book.beat(beat("r1", 200, 5))).toBe(true);
    expect(book.beat(beat("r1", 100, 9))).toBe(false);
    expect(book.routes("c", "k", 300).relays[0]!.sockets).toBe(5);
  });
});

describe("relay pick", () => {
  const map = (relays: { relay: string; sockets: number; location?: string; state?: "live" | "suspect" }[]) => ({
    component: "c",
    key: "k",
    at: 0,
    relays: relays.map((r) => ({ capacity: 3, state: "live" as const, ...r })),
  });

  it("packs the fullest relay with room, live before suspect, and makes a new one when all are full", () => {
    expect(pick(map([{ relay: "a", sockets: 1 }, { relay: "b", sockets: 2 }]), undefined, 3, "p").relay).toBe("b");
    expect(pick(map([{ relay: "a", sockets: 1 }, { relay: "b", sockets: 2, state: "suspect" }]), undefined, 3, "p").relay).toBe("a");
    const full = map([{ relay: "p|any|0", sockets: 3 }]);
    expect(pick(full, undefined, 3, "p")).toMatchObject({ relay: "p|any|1", sockets: 0 });
    expect(full.relays).toHaveLength(2);
  });

  it("prefers a relay near the viewer, creating one there rather than crossing an ocean", () => {
    const m = map([{ relay: "p|weur|0", sockets: 1, location: "weur" }]);
    expect(pick(m, "weur", 3, "p").relay).toBe("p|weur|0");
    expect(pick(m, "apac", 3, "p")).toMatchObject({ relay: "p|apac|0", location: "apac" });
  });
});

describe("locationHintFor", () => {
  it("maps request.cf to a location hint, and nothing to nothing", () => {
    expect(locationHintFor(undefined)).toBeUndefined();
    expect(locationHintFor({})).toBeUndefined();
    expect(locationHintFor({ continent: "NA", longitude: "-122.4" })).toBe("wnam");
    expect(locationHintFor({ continent: "NA", longitude: "-74.0" })).toBe("enam");
    expect(locationHintFor({ continent: "EU", longitude: "2.3" })).toBe("weur");
    expect(locationHintFor({ continent: "EU", longitude: "30.5" })).toBe("eeur");
    expect(locationHintFor({ continent: "AS", country: "AE" })).toBe("me");
    expect(locationHintFor({ continent: "AS", country: "JP" })).toBe("apac");
    expect(locationHintFor({ continent: "SA" })).toBe("sam");
    expect(locationHintFor({ continent: "OC" })).toBe("oc");
    expect(locationHintFor({ continent: "AF" })).toBe("afr");
    expect(locationHintFor({ continent: "AN" })).toBeUndefined();
  });
});

describe("RelayRouter's choices from config/cluster", () => {
  const base = clusterConfig.load(new EnvReader({}));
  const config = { ...base, jurisdiction: undefined, components: { feed: { relays: "always" as const, jurisdiction: "eu" as const }, chat: { relays: { above: 50 } }, me: {} } };

  it("routes by each component's `relays`, and everything through relays when forced", () => {
    const router = new RelayRouter({}, config);
    expect([router.mode("feed"), router.mode("chat"), router.mode("me"), router.mode("unlisted")]).toEqual(["relays", { above: 50 }, "direct", "direct"]);
    const forced = new RelayRouter({}, { ...config, forceRelays: true });
    expect([forced.mode("chat"), forced.mode("unlisted")]).toEqual(["relays", "relays"]);
    expect(clusterConfig.load(new EnvReader({ CLUSTER_FORCE_RELAYS: "true" })).forceRelays).toBe(true);
  });

  it("puts a component in its own jurisdiction, else the cluster's", () => {
    expect(new RelayRouter({}, config).jurisdiction("feed")).toBe("eu");
    expect(new RelayRouter({}, { ...config, jurisdiction: "fedramp" }).jurisdiction("chat")).toBe("fedramp");
    expect(new RelayRouter({}, config).jurisdiction("chat")).toBeUndefined();
  });
});
