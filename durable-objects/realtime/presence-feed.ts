/**
 * Presence frames to one object's own viewers (a root's direct sockets, or a
 * relay's), coalesced. A frame per join sent to every socket already there
 * makes N connects cost N²/2 sends (50 M for 10,000 viewers, minutes of one
 * object's time); instead joins and leaves wait for a window and go out as one
 * `presence {count, joins?, leaves?}` frame: the exact count, capped samples.
 * The window grows with the audience, because one fan-out is a send per
 * socket: with a fixed window presence would take a share of the object that
 * grows with N; with `max(frameMs, sockets × PER_SOCKET_MS)` it stays a
 * bounded fraction (a send costs 30–70 µs a socket on this machine: at most
 * 7% of the object, far less in production).
 */
import { MAX_PRESENCE_SAMPLES, PresenceSamples } from "./presence-samples";
import type { PresenceEntry, PresenceFrame } from "./protocol";
import { Throttle } from "./throttle";

/**
 * How much the window grows per listening socket: 1,000 viewers hear about joins every second,
 * 10,000 every 10 s. At 0.25 ms a CPU profile of a relay connect storm had sends at about 30% of
 * workerd's samples, broadcast loops most of them; at 1 ms a fan-out of 30–70 µs a socket is at
 * most 7% of the object.
 */
export const PRESENCE_FRAME_MS_PER_SOCKET = 1;

export interface PresenceFeedOptions {
  /** One frame to every ready socket. */
  broadcast(frame: PresenceFrame): void;
  /** Ready sockets now: the exact count a frame carries. */
  count(): number;
  /** Up to `max` present viewers, for the snapshot after a hello. */
  list(max: number): PresenceEntry[];
  /** The shortest window between two presence frames. */
  frameMs: number;
  maxSamples?: number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => unknown;
}

export class PresenceFeed {
  readonly #opts: PresenceFeedOptions;
  readonly #samples = new PresenceSamples();
  readonly #throttle: Throttle;
  readonly #max: number;
  /** The count the last frame carried: a window whose joins and leaves cancel out sends nothing. */
  #sent: number | undefined;

  constructor(options: PresenceFeedOptions) {
    if (!(options.frameMs >= 0)) throw new RangeError(`presence frameMs must be at least 0, got ${options.frameMs}`);
    this.#opts = options;
    this.#max = options.maxSamples ?? MAX_PRESENCE_SAMPLES;
    this.#throttle = new Throttle({
      run: () => this.#flush(),
      windowMs: () => Math.max(options.frameMs, options.count() * PRESENCE_FRAME_MS_PER_SOCKET),
      ...(options.now ? { now: options.now } : {}),
      ...(options.schedule ? { schedule: options.schedule } : {}),
    });
  }

  join(entry: PresenceEntry): void {
    this.#samples.join(entry);
    this.#throttle.poke();
  }

  leave(id: string): void {
    this.#samples.leave(id);
    this.#throttle.poke();
  }

  /** What a socket gets after its hello: the exact count and up to `maxSamples` present viewers. */
  snapshot(): PresenceFrame {
    return { type: "presence", count: this.#opts.count(), list: this.#opts.list(this.#max) };
  }

  #flush(): boolean {
    const count = this.#opts.count();
    if (this.#samples.empty && count === this.#sent) return false;
    const { joins, leaves } = this.#samples.take(this.#max);
    this.#sent = count;
    this.#opts.broadcast({ type: "presence", count, ...(joins.length > 0 ? { joins } : {}), ...(leaves.length > 0 ? { leaves } : {}) });
    return true;
  }
}

interface Sockets {
  broadcast(frame: PresenceFrame): void;
  ready(): ReadonlySet<unknown>;
  presence(max: number): PresenceEntry[];
}

/** The feed of an object's own sockets, as a component and a relay both keep it (a relay swaps its manager when it learns the root's limits). */
export function socketsPresence(sockets: () => Sockets, frameMs: number): PresenceFeed {
  return new PresenceFeed({ broadcast: (f) => sockets().broadcast(f), count: () => sockets().ready().size, list: (max) => sockets().presence(max), frameMs });
}
