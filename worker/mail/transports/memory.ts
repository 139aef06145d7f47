import type { RenderedMail } from "../message";
import type { MailTransport } from "../transport";

export class MailAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MailAssertionError";
  }
}

/** Test delivery: keeps what was sent, with assertions that say what was sent instead when they fail. */
export class MemoryTransport implements MailTransport {
  readonly name = "memory";
  readonly sent: RenderedMail[] = [];

  async send(mail: RenderedMail): Promise<void> {
    this.sent.push(mail);
  }

  /** Mail sent to `email`, oldest first. */
  to(email: string): RenderedMail[] {
    return this.sent.filter((m) => [...m.to, ...m.cc, ...m.bcc].some((a) => a.email === email));
  }

  /** The one mail sent to `email` that matches; fails naming what was sent when there is not exactly one. */
  assertSent(email: string, match: (mail: RenderedMail) => boolean = () => true): RenderedMail {
    const found = this.to(email).filter(match);
    if (found.length !== 1) throw new MailAssertionError(`Expected one matching mail to ${email}, found ${found.length}. Sent: ${this.#summary()}`);
    return found[0]!;
  }

  assertNothingSent(): void {
    if (this.sent.length > 0) throw new MailAssertionError(`Expected no mail. Sent: ${this.#summary()}`);
  }

  assertCount(n: number): void {
    if (this.sent.length !== n) throw new MailAssertionError(`Expected ${n} mail(s), found ${this.sent.length}. Sent: ${this.#summary()}`);
  }

  clear(): void {
    this.sent.length = 0;
  }

  #summary(): string {
    return this.sent.length === 0 ? "none" : this.sent.map((m) => `"${m.subject}" to ${m.to.map((a) => a.email).join(", ")}`).join("; ");
  }
}
