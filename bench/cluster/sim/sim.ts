/**
 * A deterministic simulation of the relay protocol: one root, R relays, V
 * viewers, driving the REAL Sequencer and FrameRing (durable-objects/cluster)
 * through simulated hops with latency, drops, duplicates and reordering,
 * failing calls and relay restarts (a restarted relay has lost its ring and
 * its sequencer state; its viewers reconnect, maybe elsewhere, with `since`).
 * Everything scales by parameters: the unit test runs a small configuration,
 * `npm run bench -- cluster` (bench/cluster/index.mjs) a million viewers.
 */
import type { Sequencer } from "../../../durable-objects/cluster/sequencer";
import { SimRelay } from "./relay";
import { EPOCH, World, type SimConfig, type Viewer } from "./world";

export type { SimConfig } from "./world";

export interface SimResult {
  viewers: number;
  /** Viewers not showing the last seq when the run ended: must be 0. */
  behind: number;
  /** Diffs a viewer could not apply (`from` not its shown seq): must be 0. */
  violations: number;
  /** Frames the sequencer delivered out of chain order or twice: must be 0. */
  sequencerViolations: number;
  /** Full renders sent to a viewer that already showed a state (each skips seqs). */
  fullRenders: number;
  /** Diffs applied over all viewers: frames x viewers when nothing was skipped or doubled. */
  applied: number;
  rootCalls: number;
  maxRootCallsPerSecond: number;
  relayFetches: number;
  latencyMs: { p50: number; p99: number; max: number };
  simulatedMs: number;
}

export async function simulate(config: SimConfig): Promise<SimResult> {
  const w = new World(config);
  const { clock } = w;
  const relays = Array.from({ length: config.relays }, () => new SimRelay(w));
  const anyRelay = () => relays[Math.floor(w.random() * relays.length)]!;
  const viewers: Viewer[] = [];
  for (const r of relays) {
    for (let j = 0; j < config.viewersPerRelay; j++) {
      const v: Viewer = { shown: 0, sent: 0, conn: 0, ready: false, fetching: false, lastArrival: 0, applied: 0 };
      viewers.push(v);
      r.attach(v);
    }
  }

  // Each pushed copy is lost, doubled and delayed independently: the network reorders by itself.
  const push = (r: SimRelay, deliver: (s: Sequencer) => void) => {
    const copies = w.random() < config.dropRate ? 0 : w.random() < config.dupRate ? 2 : 1;
    for (let c = 0; c < copies; c++) clock.after(w.between(config.hopMs), () => deliver(r.sequencer));
  };
  for (let seq = 1; seq <= config.frames; seq++) {
    clock.at(seq * config.intervalMs, () => {
      const f = w.commit();
      for (const r of relays) push(r, (s) => s.accept(f));
    });
  }
  const end = config.frames * config.intervalMs;
  const deadline = end + 30_000;
  for (let t = config.heartbeatMs; t <= deadline; t += config.heartbeatMs) {
    clock.at(t, () => {
      const head = w.rootHead;
      for (const r of relays) push(r, (s) => s.announce(EPOCH, head));
    });
  }
  for (let k = 0; k < config.relayRestarts; k++) {
    const r = anyRelay();
    clock.at(w.random() * end, () => {
      for (const v of r.restart()) clock.after(w.between(config.reconnectMs), () => anyRelay().attach(v));
    });
  }

  await clock.run(deadline, () => w.metrics.atLast === viewers.length);

  const m = w.metrics;
  return {
    viewers: viewers.length,
    behind: viewers.filter((v) => v.shown !== config.frames).length,
    violations: m.violations,
    sequencerViolations: m.sequencerViolations,
    fullRenders: m.fullRenders,
    applied: m.applied,
    rootCalls: m.rootCalls,
    maxRootCallsPerSecond: Math.max(0, ...w.callsPerSecond.values()),
    relayFetches: m.relayFetches,
    latencyMs: percentiles(w.latency),
    simulatedMs: Math.round(clock.now),
  };
}

function percentiles(histogram: Uint32Array): SimResult["latencyMs"] {
  let total = 0;
  let max = 0;
  histogram.forEach((c, ms) => {
    total += c;
    if (c > 0) max = ms;
  });
  const at = (p: number) => {
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) if ((seen += histogram[ms]!) >= p * total) return ms;
    return histogram.length - 1;
  };
  return { p50: at(0.5), p99: at(0.99), max };
}
