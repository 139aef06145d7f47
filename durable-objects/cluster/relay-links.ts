/**
 * The root's side of its relays: which relays are attached (in SQLite, so a
 * woken root still pushes to them) and the push of each frame to each, in
 * order, batched: one call in flight per relay, frames made meanwhile ride in
 * the next call. A lost push is the relay's sequencer's to repair (it fetches
 * the gap on the next frame or heartbeat), so pushes are never retried here.
 */
import type { SeqFrame } from "./sequencer";

/** The relay as the root calls it (an RPC stub in production). */
export interface RelayTarget {
  push(frames: SeqFrame[]): Promise<unknown>;
}

export interface RelayAddress {
  name: string;
  jurisdiction?: DurableObjectJurisdiction;
  /** The child's binding when it is not a relay (a hub: `STRATUS_HUB`); a relay's address leaves it out. */
  binding?: string;
}

/** Frames kept for one relay whose call is slow; past it the oldest go (the relay fills the gap in one fetch). */
const MAX_QUEUED = 1024;
/** Consecutive failed pushes after which a relay is detached (it reattaches on its next heartbeat if alive). */
const MAX_FAILURES = 5;

interface Link {
  address: RelayAddress;
  target: RelayTarget | undefined;
  queued: SeqFrame[];
  busy: boolean;
  failures: number;
}

export class RelayLinks {
  readonly #sql: SqlStorage;
  readonly #resolve: (address: RelayAddress) => RelayTarget;
  #links: Map<string, Link> | undefined;
  /** Push calls made (for tests and benchmarks). */
  calls = 0;

  constructor(sql: SqlStorage, resolve: (address: RelayAddress) => RelayTarget) {
    this.#sql = sql;
    this.#resolve = resolve;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_relays (name TEXT PRIMARY KEY, jurisdiction TEXT, binding TEXT)");
    // Tables made before hubs existed have no binding column: every child they list is a relay.
    if (!sql.exec<{ name: string }>("PRAGMA table_info(_stratus_relays)").toArray().some((c) => c.name === "binding")) {
      sql.exec("ALTER TABLE _stratus_relays ADD COLUMN binding TEXT");
    }
  }

  #all(): Map<string, Link> {
    if (!this.#links) {
      this.#links = new Map();
      for (const row of this.#sql.exec<{ name: string; jurisdiction: string | null; binding: string | null }>("SELECT name, jurisdiction, binding FROM _stratus_relays")) {
        this.#links.set(row.name, link({ name: row.name, ...(row.jurisdiction ? { jurisdiction: row.jurisdiction as DurableObjectJurisdiction } : {}), ...(row.binding ? { binding: row.binding } : {}) }));
      }
    }
    return this.#links;
  }

  get size(): number {
    return this.#all().size;
  }

  names(): string[] {
    return [...this.#all().keys()];
  }

  attach(address: RelayAddress): void {
    if (this.#all().has(address.name)) return;
    this.#sql.exec("INSERT OR REPLACE INTO _stratus_relays (name, jurisdiction, binding) VALUES (?, ?, ?)", address.name, address.jurisdiction ?? null, address.binding ?? null);
    this.#all().set(address.name, link(address));
  }

  detach(name: string): void {
    this.#sql.exec("DELETE FROM _stratus_relays WHERE name = ?", name);
    this.#all().delete(name);
  }

  /** One frame to every attached relay, after the frames before it. */
  push(frame: SeqFrame): void {
    for (const l of this.#all().values()) this.#enqueue(l, frame);
  }

  /** One frame to one attached child, after the frames before it (a topic's subscribers each follow their own chain). */
  pushTo(name: string, frame: SeqFrame): void {
    const l = this.#all().get(name);
    if (l) this.#enqueue(l, frame);
  }

  #enqueue(l: Link, frame: SeqFrame): void {
    l.queued.push(frame);
    if (l.queued.length > MAX_QUEUED) l.queued.shift();
    if (!l.busy) this.#send(l);
  }

  #send(l: Link): void {
    const batch = l.queued;
    l.queued = [];
    l.busy = true;
    this.calls++;
    l.target ??= this.#resolve(l.address);
    let call: Promise<unknown>;
    try {
      call = l.target.push(batch);
    } catch (err) {
      call = Promise.reject(err);
    }
    call.then(
      () => {
        l.failures = 0;
        this.#next(l);
      },
      (err: unknown) => {
        // A broken stub stays broken: the next call gets a fresh one.
        l.target = undefined;
        if (++l.failures >= MAX_FAILURES && this.#all().get(l.address.name) === l) {
          console.error(`relay ${l.address.name} detached after ${l.failures} failed pushes`, err);
          return this.detach(l.address.name);
        }
        this.#next(l);
      },
    );
  }

  #next(l: Link): void {
    l.busy = false;
    if (l.queued.length > 0 && this.#all().get(l.address.name) === l) this.#send(l);
  }
}

function link(address: RelayAddress): Link {
  return { address, target: undefined, queued: [], busy: false, failures: 0 };
}

/** A wire frame's text as the sequencer sees it (the root parses its own frames once, for the relays). */
export function seqFrameOf(text: string): SeqFrame {
  const f = JSON.parse(text) as { type: string; epoch: string; seq: number; from?: number; rid: string };
  return { epoch: f.epoch, seq: f.seq, rid: f.rid, text, ...(f.type === "diff" && f.from !== undefined ? { from: f.from } : {}) };
}
