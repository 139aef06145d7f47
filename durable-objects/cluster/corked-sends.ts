/**
 * Sends held while a relay delivers one push, then one message per socket.
 * A push often carries several frames (the root batches what it made while
 * the previous call was out), and a relay delivers them one by one; sent as
 * they come, each frame is a send per socket, so a burst costs a relay
 * frames × sockets sends where the root's own fan-out (which coalesces commits
 * into one diff) costs far fewer. Held, they leave as one JSON array per
 * socket, which the protocol allows (a message may be an array of frames).
 */
export class CorkedSends<S> {
  readonly #send: (socket: S, text: string) => void;
  #held: Map<S, string[]> | undefined;

  constructor(send: (socket: S, text: string) => void) {
    this.#send = send;
  }

  send(socket: S, text: string): void {
    if (!this.#held) return this.#send(socket, text);
    const queue = this.#held.get(socket);
    if (queue) queue.push(text);
    else this.#held.set(socket, [text]);
  }

  /** Runs `work` with sends held, then sends each socket's texts as one message (in order). */
  corked<T>(work: () => T): T {
    if (this.#held) return work();
    this.#held = new Map();
    try {
      return work();
    } finally {
      const held = this.#held;
      this.#held = undefined;
      for (const [socket, texts] of held) this.#send(socket, texts.length === 1 ? texts[0]! : `[${texts.map(members).join(",")}]`);
    }
  }
}

/** A message that is already an array of frames joins the outer array by its members (arrays do not nest). */
function members(text: string): string {
  return text.startsWith("[") ? text.slice(1, -1) : text;
}
