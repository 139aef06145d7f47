import { CoalescingTokenBuffer, type Clock, type TextUpdate } from "./coalesce";
import type { AiStream } from "./stream";
import type { Usage } from "./types";

/**
 * Where a streamed answer goes as it grows: a live component (which commits
 * each update as an event and fans the diff out to its sockets) or any
 * listener. The component runtime implements this; nothing here knows sockets.
 */
export interface TextSink {
  update(update: TextUpdate): void | Promise<void>;
  /** The stream failed midway; `text` is what arrived before. */
  fail?(error: Error, text: string): void | Promise<void>;
}

export interface StreamIntoResult {
  text: string;
  usage: Usage | undefined;
  updates: number;
}

/**
 * Drains an AiStream into a sink as coalesced updates (at most one per
 * `flushMs`), ending with a `done` update. On a mid-stream error the sink's
 * `fail` hears it and the error is rethrown.
 */
export async function streamInto(stream: AiStream, sink: TextSink, options: { flushMs: number; clock?: Clock }): Promise<StreamIntoResult> {
  let updates = 0;
  const buffer = new CoalescingTokenBuffer({
    flushMs: options.flushMs,
    ...(options.clock ? { clock: options.clock } : {}),
    onUpdate: (u) => {
      updates++;
      return sink.update(u);
    },
  });
  let usage: Usage | undefined;
  try {
    for await (const chunk of stream.chunks()) {
      if (chunk.usage) usage = chunk.usage;
      buffer.push(chunk.token);
    }
  } catch (err) {
    await buffer.abort();
    const error = err instanceof Error ? err : new Error(String(err));
    await sink.fail?.(error, buffer.text);
    throw error;
  }
  await buffer.close();
  return { text: buffer.text, usage, updates };
}
