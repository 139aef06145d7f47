/**
 * Most updates (commits, acks, viewer changes) one frame takes in while they queue behind the last
 * flush: pipelined actions share a render and a send, and the first of them waits at most this many.
 */
const MAX_COALESCED = 64;

/**
 * When the update dispatcher flushes. The first update after a quiet period goes out on a
 * microtask (after the commit that asked); later ones inside the `flushMs` window share one flush
 * at its end. Updates that queued behind the last flush share one too: commits delivered while a
 * large send loop ran, and socket actions delivered behind a flush that acked actions (a client
 * pipelining without waiting for acks). Those wait for a `setTimeout(0)`, which workerd runs only
 * once its queue of delivered events is empty, or until MAX_COALESCED are waiting, or until an
 * update that may not wait (an RPC, a broadcast, an alarm, a viewer change) takes them along.
 */
export class FlushSchedule {
  readonly #flushMs: number;
  readonly #flush: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The pending timer is the one for updates queued behind the last flush (not a flush window). */
  #behind = false;
  #microtask = false;
  #windowOpenedAt = Number.NEGATIVE_INFINITY;
  /** Updates notified since the last flush. */
  #waiting = 0;
  /** From a large fan-out until the next turn: commits delivered meanwhile had queued behind its send loop. */
  #behindFanout = false;
  /** From a flush that acked socket actions until the next turn: the sockets' next actions may have been sent before those acks. */
  #behindAcks = false;
  /** The timer that ends both of those at the next turn is set. */
  #turnEnds = false;

  constructor(flushMs: number, flush: () => void) {
    this.#flushMs = flushMs;
    this.#flush = flush;
  }

  /**
   * Something is pending. `pipelined`: the update comes from a socket's own action, which may have
   * been sent before the ack of its previous one, so it may wait for the actions queued with it.
   */
  notify(pipelined: boolean): void {
    this.#waiting++;
    if (this.#microtask) return;
    const behind = this.#behindFanout || (pipelined && this.#behindAcks);
    if (this.#timer !== undefined) {
      // The others waiting go now: with an update that may not wait, or a long pipeline whose first
      // acks would otherwise wait for its last.
      if (this.#behind && (!behind || this.#waiting >= MAX_COALESCED)) this.#soon();
      return;
    }
    const wait = this.#windowOpenedAt + this.#flushMs - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(this.#flush, wait);
    } else if (behind) {
      // workerd's clock stood still while they queued, so the window looks long past.
      this.#behind = true;
      this.#timer = setTimeout(this.#flush, 0);
    } else {
      this.#soon();
    }
  }

  /** A flush starts: nothing is scheduled any more. */
  started(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#behind = false;
    this.#microtask = false;
    this.#waiting = 0;
  }

  /** A render of a commit went out: the next `flushMs` window starts now. */
  opened(): void {
    this.#windowOpenedAt = Date.now();
  }

  /**
   * A flush ended. What can queue behind it: a socket's next pipelined actions (`acked`: it sent
   * them before these acks), or anyone's commits while a long send loop ran (`longFanout`). Not a
   * caller awaiting each commit's result, so an RPC caller gets one frame per commit.
   */
  ended(acked: boolean, longFanout: boolean): void {
    if (acked) this.#behindAcks = true;
    if (longFanout) this.#behindFanout = true;
    if ((this.#behindAcks || this.#behindFanout) && !this.#turnEnds) {
      this.#turnEnds = true;
      setTimeout(() => {
        this.#turnEnds = false;
        this.#behindAcks = false;
        this.#behindFanout = false;
      }, 0);
    }
  }

  #soon(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#behind = false;
    this.#microtask = true;
    queueMicrotask(this.#flush);
  }
}
