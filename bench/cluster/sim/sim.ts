/**
 * A deterministic simulation of the relay protocol: one root, R relays, V
 * viewers, driving the REAL RelayCore (with its Sequencer, FrameRing and kept
 * render) and the root's real RelayLinks through simulated hops with latency,
 * lost and doubled pushes, failing calls, relay evictions and crashes, root
 * evictions and a deploy storm (every object restarts, every viewer
 * reconnects to a random relay within `stormMs` and resumes with `since`),
 * optionally with a level of hubs (the real RelayCore and RelayLinks again)
 * between the root and the relays.
 * Everything scales by parameters: the unit test runs a small configuration,
 * `npm run bench -- cluster` (bench/cluster/index.mjs) a million viewers.
 */
import { SimHub } from "./hub";
import { SimRelay } from "./relay";
import type { Viewers } from "./viewers";
import { CALL_KINDS, percentiles, World, type SimConfig } from "./world";

export type { SimConfig } from "./world";

export interface SimResult {
  viewers: number;
  relays: number;
  /** Viewers not showing the last seq when the run ended: must be 0. */
  behind: number;
  /** Frames a browser could not apply (a diff not from what it shows: lost, doubled or reordered), or a render going back: must be 0. */
  violations: number;
  /** Full renders sent to a viewer that already showed a state, and the seqs they jumped (no diff for them). */
  fullRenders: number;
  skippedByRenders: number;
  /** Diffs applied over all viewers, and viewers × frames: equal when every viewer got every seq once as a diff. */
  applied: number;
  expected: number;
  /** Every viewer got every seq exactly once, in order, as a diff. */
  exactlyOnce: boolean;
  historyOverflows: number;
  firstViolations: Viewers["firstViolations"];
  /** Live frames before and after the deploy; catch-up frames (missed while the viewer was away, time offline included). */
  latencyMs: { steady: ReturnType<typeof percentiles>; storm: ReturnType<typeof percentiles>; catchUp: ReturnType<typeof percentiles> };
  /** Calls the root received (range and render fetches, attaches/heartbeats, detaches) and pushes it made, per simulated second. */
  rootCalls: {
    total: number;
    steady: { mean: number; max: number; perRelayMean: number };
    storm: { mean: number; max: number; perRelayMean: number; perRelayMax: number };
    fetchesInStorm: { mean: number; max: number; perRelayMax: number };
    /** Calls by kind (totals over the steady and the storm windows). */
    steadyByKind: Record<string, number>;
    stormByKind: Record<string, number>;
    /** The storm's busiest second (from the deploy) and what its calls were. */
    stormWorstSecond: { second: number; byKind: Record<string, number> };
    pushesPerSecond: { mean: number; max: number };
  };
  hubs: { count: number; callsPerSecond: { mean: number; max: number }; pushesPerSecond: { mean: number; max: number }; answered: number; passedUp: number; wakes: number };
  relayRangeFetches: number;
  relayRenderFetches: number;
  relayResumeFetches: number;
  relayWakes: number;
  errors: World["errors"];
  simulatedMs: number;
}

export async function simulate(config: SimConfig): Promise<SimResult> {
  const w = new World(config);
  const { clock, viewers } = w;
  const hubs = Array.from({ length: config.hubs }, (_, i) => new SimHub(w, i));
  const relays = Array.from({ length: config.relays }, (_, i) => new SimRelay(w, i, hubs.length > 0 ? hubs[i % hubs.length] : w.rootParent));
  const byName = new Map<string, { push(frames: Parameters<SimRelay["push"]>[0]): void }>([...relays.map((r) => [r.name, r] as const), ...hubs.map((h) => [h.name, h] as const)]);
  w.relayTarget = (name, kind) => ({ push: (frames) => w.push(() => byName.get(name)!.push(frames), kind) });
  const anyRelay = () => relays[Math.floor(w.random() * relays.length)]!;
  const reconnect = (v: number, at: number) =>
    clock.at(at, () => {
      const r = anyRelay();
      const shows = viewers.lastSent[v]!;
      const latency = w.between(config.viewerMs);
      viewers.connect(v, r.index, latency, clock.now);
      // The upgrade (with its hello) reaches the relay a socket latency later.
      clock.after(latency, () => r.connect(v, shows));
    });

  for (const h of hubs) h.startAt(0);
  for (const r of relays) r.startAt(0);
  for (let v = 0; v < viewers.n; v++) {
    const r = relays[Math.floor(v / config.viewersPerRelay)]!;
    viewers.connect(v, r.index, w.between(config.viewerMs), -1);
    viewers.lastSent[v] = 0; // the page's server render, seq 0
    r.connect(v, 0);
  }

  const end = config.frames * config.intervalMs;
  let committed = 0;
  const commit = () => {
    if (clock.now < w.root.downUntil) return clock.at(w.root.downUntil, commit); // the root is restarting: the action waits
    w.root.commit();
    if (++committed < config.frames) clock.after(config.intervalMs, commit);
  };
  clock.at(config.intervalMs, commit);

  // Heartbeats: each relay's alarm, staggered.
  const horizon = end + config.stormMs + 120_000;
  for (const r of relays) {
    const beat = () => {
      r.beat();
      if (clock.now < horizon) clock.after(config.heartbeatMs, beat);
    };
    clock.at(w.random() * config.heartbeatMs, beat);
  }
  for (const h of hubs) {
    const beat = () => {
      h.beat();
      if (clock.now < horizon) clock.after(config.heartbeatMs, beat);
    };
    clock.at(w.random() * config.heartbeatMs, beat);
  }

  // Disturbances at random times before the deploy (or the end).
  const calmUntil = config.stormAt >= 0 ? config.stormAt : end;
  for (let k = 0; k < config.relayEvictions; k++) {
    const r = anyRelay();
    clock.at(w.random() * calmUntil, () => r.evict());
  }
  for (let k = 0; k < config.relayCrashes; k++) {
    const r = anyRelay();
    clock.at(w.random() * calmUntil, () => {
      for (const v of r.crash()) reconnect(v, clock.now + w.between(config.reconnectMs));
    });
  }
  for (let k = 0; k < (hubs.length > 0 ? config.hubEvictions : 0); k++) {
    const h = hubs[Math.floor(w.random() * hubs.length)]!;
    clock.at(w.random() * calmUntil, () => h.evict());
  }
  for (let k = 0; k < config.rootEvictions; k++) clock.at(w.random() * calmUntil, () => w.root.evict());
  if (config.stormAt >= 0) {
    clock.at(config.stormAt, () => {
      w.root.evict();
      for (const h of hubs) h.restart();
      for (const r of relays) for (const v of r.crash()) reconnect(v, clock.now + w.random() * config.stormMs);
    });
  }

  // Done when every frame is committed and every viewer has the last one (checked once a simulated second).
  let finished = false;
  const check = () => {
    if (committed === config.frames && viewers.lastSent.every((s) => s === config.frames)) finished = true;
    else clock.after(1000, check);
  };
  clock.at(end, check);
  await clock.run(horizon, () => finished);
  // What is still on the wire arrives: nothing more is sent, so the last frames are the ones that count.
  const now = clock.now + config.viewerMs[1] + 1;

  const vm = viewers.metrics;
  let applied = 0;
  let behind = 0;
  for (let v = 0; v < viewers.n; v++) {
    applied += viewers.applied[v]!;
    if (viewers.lastSent[v] !== config.frames) behind++;
  }
  const expected = viewers.n * config.frames;
  const stormFrom = config.stormAt >= 0 ? Math.floor(config.stormAt / 1000) : Math.ceil(now / 1000);
  const stormTo = config.stormAt >= 0 ? Math.ceil((config.stormAt + config.stormMs) / 1000) + 1 : stormFrom;
  const received = CALL_KINDS;
  const steady = w.calls.window(received, 1, stormFrom);
  const storm = w.calls.window(received, stormFrom, stormTo);
  const fetches = w.calls.window(["gap", "resume", "render"], stormFrom, stormTo);
  const byKind = (from: number, to: number) => Object.fromEntries(received.map((k) => [k, Math.round(w.calls.window([k], from, to).mean * (to - from))]));
  let total = 0;
  for (const k of received) for (const n of w.calls.counts.get(k) ?? []) total += n ?? 0;
  return {
    viewers: viewers.n,
    relays: relays.length,
    behind,
    violations: vm.violations,
    fullRenders: vm.fullRenders,
    skippedByRenders: vm.skipped,
    applied,
    expected,
    exactlyOnce: behind === 0 && vm.violations === 0 && vm.fullRenders === 0 && applied === expected,
    historyOverflows: vm.historyOverflows,
    firstViolations: viewers.firstViolations,
    latencyMs: { steady: percentiles(w.steady), storm: percentiles(w.storm), catchUp: percentiles(w.catchUp) },
    rootCalls: {
      total,
      steady: { ...round(steady), perRelayMean: round1(steady.mean / relays.length) },
      storm: { ...round(storm), perRelayMean: round1(storm.mean / relays.length), perRelayMax: round1(storm.max / relays.length) },
      fetchesInStorm: { ...round(fetches), perRelayMax: round1(fetches.max / relays.length) },
      steadyByKind: byKind(1, stormFrom),
      stormByKind: byKind(stormFrom, stormTo),
      stormWorstSecond: worstSecond(w, stormFrom, stormTo, byKind),
      pushesPerSecond: round(w.calls.window(["push"], 1, Math.ceil(end / 1000))),
    },
    hubs: {
      count: hubs.length,
      /** Calls relays made to their hubs, and pushes hubs made to relays, per second (steady). */
      callsPerSecond: round(w.calls.window(["hub-call"], 1, stormFrom)),
      pushesPerSecond: round(w.calls.window(["hub-push"], 1, Math.ceil(end / 1000))),
      answered: hubs.reduce((n, h) => n + h.answered, 0),
      passedUp: hubs.reduce((n, h) => n + h.passedUp, 0),
      wakes: hubs.reduce((n, h) => n + h.wakes, 0),
    },
    relayRangeFetches: relays.reduce((n, r) => n + r.rangeFetches, 0),
    relayRenderFetches: relays.reduce((n, r) => n + r.renderFetches, 0),
    relayResumeFetches: relays.reduce((n, r) => n + r.resumeFetches, 0),
    relayWakes: relays.reduce((n, r) => n + r.wakes, 0),
    errors: w.errors,
    simulatedMs: Math.round(clock.now),
  };
}

function worstSecond(w: World, from: number, to: number, byKind: (from: number, to: number) => Record<string, number>): SimResult["rootCalls"]["stormWorstSecond"] {
  let worst = from;
  for (let s = from; s < to; s++) if (w.calls.window(CALL_KINDS, s, s + 1).max > w.calls.window(CALL_KINDS, worst, worst + 1).max) worst = s;
  return { second: worst - from, byKind: byKind(worst, worst + 1) };
}

const round1 = (x: number) => Math.round(x * 100) / 100;
const round = (x: { mean: number; max: number }) => ({ mean: round1(x.mean), max: x.max });
