import { publishedRenderKey, type PublishedRender } from "../../worker/templating/published-render";
import type { RenderFrame } from "./protocol";

/** KV takes one write per second per key; a faster interval would only be refused. */
export const MIN_PUBLISH_INTERVAL_MS = 1000;

/** A quiet root's entry lives this long; the first view after it expires asks the root, which writes it again. */
const ENTRY_TTL_SECONDS = 7 * 24 * 3600;

export interface RenderPublisherOptions {
  kv: KVNamespace;
  /** This object's id (hex): the key page views read. */
  objectId: string;
  sql: SqlStorage;
  /** The render at the head now (throws if the component cannot render; the caller retries). */
  render: () => RenderFrame;
  /** Arms the durable task that calls `publish()` at `at` (the object's alarm: it outlives eviction). */
  schedule: (at: number) => Promise<unknown>;
  intervalMs: number;
}

/**
 * Hot page renders refreshed by the root: after a commit (and after a reset,
 * which makes a new epoch) the root writes its render to KV, at most once per
 * interval, so page views read it there and never call the root while it is
 * published. It starts on demand: the first page view that misses asks the
 * root with `publish`, and from then on (persisted) the root keeps its entry
 * current, so an object no page mounts never writes. An object that does not
 * know (new, or reset: a reset drops the record with the log) looks for its
 * entry once, so a reset root replaces the old epoch's entry views still
 * read. The root is the only writer of its key, so what a view reads only
 * moves forward; the last write of a burst carries the latest head, so a
 * quiet object's entry is its head.
 * The task is durable: an eviction between a commit and its publish delays
 * the write, it does not lose it.
 */
export class RenderPublisher {
  readonly #o: RenderPublisherOptions;
  /** Pages read this object's entry (persisted; unknown until the row exists). */
  #wanted: boolean;
  /** The head last written (undefined before the first write, and after a reset). */
  #published: { epoch: string; seq: number; at: number } | undefined;
  #armed = false;
  /** A page view missed the entry: write even a head this instance believes is out (the entry expired or was removed). */
  #force = false;
  /** No record yet (new, or reset): `woke` looks for an entry once. */
  readonly #unknown: boolean;

  constructor(options: RenderPublisherOptions) {
    if (!(options.intervalMs >= MIN_PUBLISH_INTERVAL_MS)) throw new RangeError(`renderPublishMs must be at least ${MIN_PUBLISH_INTERVAL_MS}, got ${options.intervalMs}`);
    this.#o = options;
    options.sql.exec("CREATE TABLE IF NOT EXISTS _stratus_published_render (id INTEGER PRIMARY KEY CHECK (id = 0), wanted INTEGER NOT NULL, epoch TEXT, seq INTEGER, at INTEGER)");
    const row = options.sql.exec<{ wanted: number; epoch: string | null; seq: number | null; at: number | null }>("SELECT wanted, epoch, seq, at FROM _stratus_published_render").toArray()[0];
    this.#wanted = row?.wanted === 1;
    if (row?.epoch != null && row.seq != null && row.at != null) this.#published = { epoch: row.epoch, seq: row.seq, at: row.at };
    this.#unknown = row === undefined;
  }

  /**
   * The object woke at (epoch, seq): commits whose publish did not run yet, or a reset (a new epoch),
   * arm a publish. An object with no record first looks for its entry (another epoch's, after a
   * reset): if there is one, pages read this object.
   */
  woke(epoch: string, seq: number): void {
    if (!this.#unknown) return this.changed(epoch, seq);
    this.#o.kv.get(publishedRenderKey(this.#o.objectId)).then(
      (entry) => {
        const found = entry !== null;
        // A view's miss may have decided meanwhile: only an undecided row is written.
        this.#o.sql.exec("INSERT OR IGNORE INTO _stratus_published_render (id, wanted) VALUES (0, ?)", found ? 1 : 0);
        if (found && !this.#wanted) {
          this.#wanted = true;
          this.changed(epoch, seq);
        }
      },
      (err: unknown) => console.error("render publish: looking for the entry failed", err),
    );
  }

  /** The head moved to (epoch, seq): arms one publish if pages read this object, unless that head is out already or one is armed. */
  changed(epoch: string, seq: number): void {
    const p = this.#published;
    if (!this.#wanted || this.#armed || (p && p.epoch === epoch && p.seq === seq)) return;
    this.#arm();
  }

  /** A page view found no entry (the root is asked only then): publish from now on, and this head again whatever was written before. */
  missed(): void {
    if (!this.#wanted) {
      this.#wanted = true;
      this.#o.sql.exec("INSERT INTO _stratus_published_render (id, wanted) VALUES (0, 1) ON CONFLICT (id) DO UPDATE SET wanted = 1");
    }
    this.#force = true;
    if (!this.#armed) this.#arm();
  }

  #arm(): void {
    const p = this.#published;
    this.#armed = true;
    this.#o.schedule(Math.max(Date.now(), (p?.at ?? 0) + this.#o.intervalMs)).catch((err: unknown) => {
      // Not armed after all: the next commit or miss tries again.
      this.#armed = false;
      console.error("render publish not armed", err);
    });
  }

  /** The armed task: writes the head as it is now (a burst's commits share one write). */
  async publish(): Promise<void> {
    this.#armed = false;
    if (!this.#wanted) return;
    const frame = this.#o.render();
    const p = this.#published;
    if (!this.#force && p && p.epoch === frame.epoch && p.seq === frame.seq) return;
    const at = Date.now();
    const entry: PublishedRender = { epoch: frame.epoch, seq: frame.seq, publishedAt: at, frame };
    // A failed write throws to the scheduler, which retries with backoff; a commit meanwhile re-arms it.
    // It expires so a removed component's entries go; a view that misses it brings it back (missed()).
    await this.#o.kv.put(publishedRenderKey(this.#o.objectId), JSON.stringify(entry), { expirationTtl: ENTRY_TTL_SECONDS });
    this.#force = false;
    this.#published = { epoch: frame.epoch, seq: frame.seq, at };
    this.#o.sql.exec("INSERT OR REPLACE INTO _stratus_published_render (id, wanted, epoch, seq, at) VALUES (0, 1, ?, ?, ?)", frame.epoch, frame.seq, at);
  }
}
