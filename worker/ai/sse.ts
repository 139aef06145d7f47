/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental SSE parser: feed it bytes as they arrive (events may be split
 * anywhere, even inside a UTF-8 sequence) and it returns the complete events.
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  #buffer = "";

  push(chunk: Uint8Array): SseEvent[] {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    return this.#drain();
  }

  /** Ends the input; a final event without its blank line still counts. */
  end(): SseEvent[] {
    this.#buffer += this.#decoder.decode();
    const events = this.#drain();
    if (this.#buffer.trim() !== "") {
      const last = parseBlock(this.#buffer);
      if (last) events.push(last);
    }
    this.#buffer = "";
    return events;
  }

  #drain(): SseEvent[] {
    const events: SseEvent[] = [];
    const normalised = this.#buffer.replace(/\r\n?/g, "\n");
    const blocks = normalised.split("\n\n");
    this.#buffer = blocks.pop() ?? "";
    for (const block of blocks) {
      const e = parseBlock(block);
      if (e) events.push(e);
    }
    return events;
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id") id = value;
  }
  if (data.length === 0 && event === "message") return undefined;
  return { event, data: data.join("\n"), ...(id !== undefined ? { id } : {}) };
}

const encoder = new TextEncoder();

export function encodeEvent(data: string, event?: string): Uint8Array {
  const lines = data.split("\n").map((l) => `data: ${l}`).join("\n");
  return encoder.encode(`${event ? `event: ${event}\n` : ""}${lines}\n\n`);
}
