import type { TextSink } from "./live";

/**
 * A live component as seen by a stream: its `dispatch` (called inside the
 * object, or on its stub from the Worker). Each coalesced update becomes one
 * action, so one committed event and at most one frame to every socket.
 */
export interface ActionTarget {
  dispatch(action: string, args: unknown, caller?: { id?: string; user?: string }, id?: string): Promise<{ ok: boolean; message?: string }>;
}

/** The arguments the receiving action gets; validate them with `streamTextArgs`-shaped schemas. */
export interface StreamTextArgs {
  stream: string;
  /** Text added since the previous update (events stay small; apply appends). */
  delta: string;
  seq: number;
  done: boolean;
  error?: string;
}

/**
 * Streams into `action` of a component: `streamInto(stream, componentSink(this, "streamText", id), { flushMs })`.
 * Updates are idempotent by (stream, seq), so a retried dispatch never appends twice.
 */
export function componentSink(target: ActionTarget, action: string, stream: string): TextSink {
  let last = 0;
  let chars = 0;
  const send = async (args: StreamTextArgs) => {
    const r = await target.dispatch(action, args, { id: "ai" }, `ai:${stream}:${args.seq}`);
    if (!r.ok) throw new Error(`The component refused "${action}": ${r.message ?? "unknown reason"}`);
  };
  return {
    update(u) {
      last = u.seq;
      chars = u.text.length;
      return send({ stream, delta: u.delta, seq: u.seq, done: u.done });
    },
    // Keeps what arrived before the failure, including text still waiting for its flush window.
    fail(error, text) {
      return send({ stream, delta: text.slice(chars), seq: last + 1, done: true, error: error.message });
    },
  };
}
