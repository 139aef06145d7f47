import { EventLog } from "./event-log";
import { IdempotencyTable } from "./idempotency";
import { RecoveryManager } from "./recovery-manager";
import type { Reducer, Versioned } from "./reducer";
import { StateStore } from "./state-store";
import { Upcasters, type Upcaster } from "./upcasters";

export interface StatePolicy {
  /** Take a snapshot every N events. */
  snapshotEvery: number;
  /** When set, keep this many snapshots and compact the log behind the oldest kept one. */
  keepSnapshots?: number;
  /** How long action ids are remembered for retries, in ms. */
  idempotencyTtlMs: number;
}

/**
 * Owns the current state and its seq. `commit` is the only way state moves:
 * reduce first (a throwing reducer commits nothing), write the events and the
 * action id in one `transactionSync`, then swap the new state in.
 */
export class StateManager<S, E extends { type: string }> {
  readonly log: EventLog<E>;
  readonly store: StateStore<S>;
  readonly recovery: RecoveryManager<S, E>;
  readonly #storage: DurableObjectStorage;
  readonly #ids: IdempotencyTable;
  readonly #reducer: Reducer<S, E>;
  readonly #policy: StatePolicy;
  #current: Versioned<S> | undefined;
  #lastSnapshot = 0;

  constructor(storage: DurableObjectStorage, reducer: Reducer<S, E>, upcasters: readonly Upcaster[], policy: StatePolicy) {
    this.#storage = storage;
    this.#reducer = reducer;
    this.#policy = policy;
    this.log = new EventLog<E>(storage.sql, new Upcasters(upcasters));
    this.store = new StateStore<S>(storage);
    this.#ids = new IdempotencyTable(storage.sql);
    this.recovery = new RecoveryManager(this.log, this.store, reducer);
  }

  /** Loads snapshot + replay. The owner calls it inside `blockConcurrencyWhile`. */
  load(): Versioned<S> {
    this.#current = this.recovery.recover();
    this.#lastSnapshot = this.store.seqs().at(-1) ?? 0;
    return this.#current;
  }

  get current(): Versioned<S> {
    if (!this.#current) throw new Error("State is read before recovery finished.");
    return this.#current;
  }

  /** The seq an action id was committed at, when it was. */
  committedAt(actionId: string): number | undefined {
    return this.#ids.get(actionId);
  }

  /** Appends and applies; returns the new seq (unchanged when `events` is empty). */
  commit(events: readonly E[], actionId?: string, at = Date.now()): number {
    const { state: prev, seq: prevSeq } = this.current;
    let next = prev;
    for (const e of events) next = this.#reducer.apply(next, e);
    const seq = prevSeq + events.length;
    this.#storage.transactionSync(() => {
      this.log.append(events, prevSeq + 1, at);
      if (actionId !== undefined) this.#ids.record(actionId, seq, at);
    });
    this.#current = { state: next, seq };
    if (seq - this.#lastSnapshot >= this.#policy.snapshotEvery) this.snapshot(at);
    return seq;
  }

  /** Snapshots now, then applies the retention policy. */
  snapshot(at = Date.now()): void {
    const { state, seq } = this.current;
    this.store.save(seq, state, at);
    this.#lastSnapshot = seq;
    this.#ids.prune(at - this.#policy.idempotencyTtlMs);
    if (this.#policy.keepSnapshots !== undefined) {
      const oldestKept = this.store.prune(this.#policy.keepSnapshots);
      if (oldestKept > 0) this.log.compact(oldestKept);
    }
  }
}
