import type { EventLog } from "./event-log";
import type { Reducer, Versioned } from "./reducer";
import type { StateStore } from "./state-store";

export class TimeTravelError extends Error {
  override name = "TimeTravelError";
}

/**
 * Rebuilds state from the latest snapshot plus the events after it, and
 * answers time-travel questions from the same two tables.
 */
export class RecoveryManager<S, E extends { type: string }> {
  readonly #log: EventLog<E>;
  readonly #store: StateStore<S>;
  readonly #reducer: Reducer<S, E>;

  constructor(log: EventLog<E>, store: StateStore<S>, reducer: Reducer<S, E>) {
    this.#log = log;
    this.#store = store;
    this.#reducer = reducer;
  }

  /** The current state: latest snapshot, then replay. Run it inside `blockConcurrencyWhile`. */
  recover(): Versioned<S> {
    return this.#replayFrom(this.#store.latest(), Number.MAX_SAFE_INTEGER);
  }

  /** Replays the whole log from the initial state, ignoring snapshots (for audits and benchmarks). */
  replayAll(): Versioned<S> {
    return this.#replayFrom(undefined, Number.MAX_SAFE_INTEGER);
  }

  /** The state right after event `seq` was applied. */
  stateAt(seq: number): Versioned<S> {
    if (!Number.isInteger(seq) || seq < 0) throw new TimeTravelError(`A seq is a non-negative integer, got ${seq}.`);
    // Events behind a snapshot may have been compacted away: the snapshot still counts.
    const last = Math.max(this.#log.lastSeq(), this.#store.latest()?.seq ?? 0);
    if (seq > last) throw new TimeTravelError(`Seq ${seq} is in the future; the log ends at ${last}.`);
    return this.#replayFrom(this.#store.latest(seq), seq);
  }

  /**
   * The state as it was at `time` (ms since the epoch): every event committed at or before it.
   * Before the first event still in the log, a compacted log can prove only one state: the
   * snapshot the log was compacted behind, when it was taken at or before `time` (its seq was
   * committed by then and the next seq, the log's first, after). Anything older is an error.
   */
  stateAtTime(time: number): Versioned<S> {
    const inLog = this.#log.seqAt(time);
    if (inLog > 0) return this.stateAt(inLog);
    const gone = (this.#log.firstSeq() ?? (this.#store.latest()?.seq ?? 0) + 1) - 1;
    if (gone === 0) return this.stateAt(0);
    const edge = this.#store.latest(gone);
    if (edge && edge.seq === gone && edge.at <= time) return this.stateAt(gone);
    const kept = edge?.seq === gone ? ` (seq ${gone}, at ${new Date(edge.at).toISOString()})` : "";
    throw new TimeTravelError(`The log was compacted up to seq ${gone}; ${new Date(time).toISOString()} is before the oldest state kept${kept}.`);
  }

  #replayFrom(snapshot: { seq: number; state: S } | undefined, upTo: number): Versioned<S> {
    const first = this.#log.firstSeq();
    const base = snapshot?.seq ?? 0;
    // After compaction, events before the oldest snapshot are gone: refuse rather than invent a state.
    if (first !== undefined && first > base + 1 && upTo > base) {
      throw new TimeTravelError(`The log was compacted up to seq ${first - 1}; no snapshot covers seq ${upTo}.`);
    }
    let state = snapshot ? snapshot.state : this.#reducer.initial();
    let seq = base;
    for (const { seq: s, event } of this.#log.read(base, upTo)) {
      state = this.#reducer.apply(state, event);
      seq = s;
    }
    return { state, seq };
  }
}
