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

/** Recorded ids between two age-based prunes of the idempotency table, and the most one prune deletes. */
const PRUNE_EVERY = 64;
const PRUNE_BATCH = 256;

/** Why an event could not be committed: it is not a JSON object with a string `type`. */
export class EventShapeError extends TypeError {
  override name = "EventShapeError";
}

/**
 * Owns the current state and its seq. `commit` is the only way state moves:
 * serialize each event once and reduce its parsed form (so the live state is
 * exactly what recovery rebuilds from the log; a throwing reducer commits
 * nothing), write the events and the action id in one `transactionSync`, then
 * swap the new state in. Snapshots and pruning after that are housekeeping:
 * their failure is logged and retried later, never reported as the commit's.
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
  /** The seq at or after which the next snapshot is taken. */
  #snapshotDue = 0;
  #recordedSincePrune = 0;

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
  load(now = Date.now()): Versioned<S> {
    this.#current = this.recovery.recover();
    this.#snapshotDue = (this.store.seqs().at(-1) ?? 0) + this.#policy.snapshotEvery;
    this.#prune(now);
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

  /**
   * Appends and applies; returns the new seq (unchanged when `events` is empty). Throws only when nothing
   * was committed. `alongside` writes in the same transaction (a viewer's state with the action that set it).
   */
  commit(events: readonly E[], actionId?: string, at = Date.now(), alongside?: () => void): number {
    const { state: prev, seq: prevSeq } = this.current;
    const json = new Array<string>(events.length);
    let next = prev;
    for (let i = 0; i < events.length; i++) {
      const text = JSON.stringify(events[i]);
      const stored = typeof text === "string" ? (JSON.parse(text) as E) : undefined;
      if (typeof stored?.type !== "string") throw new EventShapeError(`Event ${i} is not a JSON object with a string "type".`);
      json[i] = text!;
      next = this.#reducer.apply(next, stored);
    }
    const seq = prevSeq + events.length;
    this.#storage.transactionSync(() => {
      this.log.append(events, json, prevSeq + 1, at);
      if (actionId !== undefined) this.#ids.record(actionId, seq, at);
      alongside?.();
    });
    this.#current = { state: next, seq };
    // Durable from here on: nothing below may turn this commit into a reported failure.
    if (seq >= this.#snapshotDue) this.#trySnapshot(at);
    if (actionId !== undefined && ++this.#recordedSincePrune >= PRUNE_EVERY) this.#prune(at);
    return seq;
  }

  /** Snapshots now, then applies the retention policy. Throws when the snapshot cannot be written. */
  snapshot(at = Date.now()): void {
    const { state, seq } = this.current;
    this.store.save(seq, state, at);
    this.#snapshotDue = seq + this.#policy.snapshotEvery;
    this.#prune(at);
    if (this.#policy.keepSnapshots !== undefined) {
      const oldestKept = this.store.prune(this.#policy.keepSnapshots);
      if (oldestKept > 0) this.log.compact(oldestKept);
    }
  }

  #trySnapshot(at: number): void {
    try {
      this.snapshot(at);
    } catch (err) {
      // The log still holds every event; recovery just replays more until a snapshot succeeds.
      this.#snapshotDue = this.current.seq + this.#policy.snapshotEvery;
      console.error(`snapshot at seq ${this.current.seq} failed; the commit stands, next try after ${this.#policy.snapshotEvery} more events`, err);
    }
  }

  /** Forgets action ids past their TTL, a bounded batch at a time, on its own schedule (not only on snapshot). */
  #prune(at: number): void {
    this.#recordedSincePrune = 0;
    try {
      this.#ids.prune(at - this.#policy.idempotencyTtlMs, PRUNE_BATCH);
    } catch (err) {
      console.error("pruning action ids failed; retried on a later commit", err);
    }
  }
}
