/** A job that runs after the one carrying it succeeds. */
export interface ChainLink {
  id: string;
  job: string;
  payload: unknown;
  delay?: number;
}

/** The JSON body of every job message. Versioned so a deploy can read messages queued by the last one. */
export interface JobEnvelope {
  v: 1;
  /** The job id: stable across retries of this dispatch. */
  id: string;
  job: string;
  payload: unknown;
  queuedAt: number;
  requestId?: string;
  /** Jobs still to run, in order, once this one succeeds. */
  chain?: ChainLink[];
}

/** What the consumer forwards to the dead-letter queue: the original body plus why. */
export interface DeadLetter {
  deadLetter: 1;
  /** The failed_jobs uuid the failure was recorded under. */
  uuid: string;
  reason: string;
  body: unknown;
}

export function isDeadLetter(body: unknown): body is DeadLetter {
  return isRecord(body) && body.deadLetter === 1 && typeof body.uuid === "string" && typeof body.reason === "string";
}

/** Checks the shape of a message body; answers why it is not an envelope otherwise. */
export function parseEnvelope(body: unknown): { ok: true; envelope: JobEnvelope } | { ok: false; reason: string } {
  if (!isRecord(body)) return { ok: false, reason: `Message body is ${body === null ? "null" : typeof body}, not a job envelope.` };
  if (body.v !== 1) return { ok: false, reason: `Unsupported job envelope version ${JSON.stringify(body.v)}.` };
  if (typeof body.id !== "string" || body.id.length === 0) return { ok: false, reason: "Job envelope has no id." };
  if (typeof body.job !== "string" || body.job.length === 0) return { ok: false, reason: "Job envelope names no job." };
  if (typeof body.queuedAt !== "number") return { ok: false, reason: "Job envelope has no queuedAt time." };
  if (body.chain !== undefined && !(Array.isArray(body.chain) && body.chain.every(isLink))) {
    return { ok: false, reason: "Job envelope has a malformed chain." };
  }
  return { ok: true, envelope: body as unknown as JobEnvelope };
}

function isLink(v: unknown): v is ChainLink {
  return isRecord(v) && typeof v.id === "string" && typeof v.job === "string" && (v.delay === undefined || typeof v.delay === "number");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const encoder = new TextEncoder();

/** Bytes a body occupies on the queue when sent as JSON. */
export function jsonBytes(body: unknown): number {
  return encoder.encode(JSON.stringify(body)).byteLength;
}
