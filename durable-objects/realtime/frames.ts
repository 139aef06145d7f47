import { ErrorCodes, type ClientFrame, type ErrorFrame } from "./protocol";

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; error: ErrorFrame };

const MAX_ID = 128;
/** Fields one model frame may set. */
export const MAX_MODEL_FIELDS = 100;

function bad(message: string, id?: string): ParsedFrame {
  return { ok: false, error: { type: "error", code: ErrorCodes.badFrame, message, ...(id !== undefined ? { id } : {}) } };
}

/** Parses and shape-checks one client frame; never throws. */
export function parseClientFrame(message: string | ArrayBuffer): ParsedFrame {
  if (typeof message !== "string") return bad("Frames are JSON text; binary frames are not accepted.");
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return bad("Frame is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("A frame is a JSON object with a type.");
  const f = value as Record<string, unknown>;
  switch (f.type) {
    case "hello":
      if (typeof f.v !== "number") return bad("hello needs a protocol version v.");
      if (f.since !== undefined && (typeof f.since !== "number" || !Number.isInteger(f.since) || f.since < 0)) {
        return bad("hello.since must be a non-negative integer seq.");
      }
      if (f.client !== undefined && (typeof f.client !== "string" || f.client.length < 16 || f.client.length > MAX_ID)) {
        return bad(`hello.client must be a string of 16 to ${MAX_ID} characters.`);
      }
      for (const k of ["epoch", "rid"] as const) {
        if (f[k] !== undefined && (typeof f[k] !== "string" || f[k].length > MAX_ID)) return bad(`hello.${k} must be a string of at most ${MAX_ID} characters.`);
      }
      return {
        ok: true,
        frame: {
          type: "hello",
          v: f.v,
          ...(f.since !== undefined ? { since: f.since as number } : {}),
          ...(f.epoch !== undefined ? { epoch: f.epoch as string } : {}),
          ...(f.rid !== undefined ? { rid: f.rid as string } : {}),
          ...(typeof f.client === "string" ? { client: f.client } : {}),
        },
      };
    case "action": {
      const id = typeof f.id === "string" ? f.id : undefined;
      if (id === undefined || id.length === 0 || id.length > MAX_ID) return bad(`action needs an id of 1 to ${MAX_ID} characters.`);
      if (typeof f.name !== "string" || f.name.length === 0) return bad("action needs a name.", id);
      return { ok: true, frame: { type: "action", id, name: f.name, args: f.args } };
    }
    case "model": {
      const id = typeof f.id === "string" ? f.id : undefined;
      if (id === undefined || id.length === 0 || id.length > MAX_ID) return bad(`model needs an id of 1 to ${MAX_ID} characters.`);
      const fields = f.fields;
      if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return bad("model.fields must be an object of field names to values.", id);
      const names = Object.keys(fields);
      if (names.length === 0 || names.length > MAX_MODEL_FIELDS) return bad(`model.fields must set 1 to ${MAX_MODEL_FIELDS} fields.`, id);
      if (names.some((n) => n.length === 0 || n.length > MAX_ID || n === "__proto__")) return bad(`model field names are 1 to ${MAX_ID} characters.`, id);
      if (f.validate !== undefined && typeof f.validate !== "boolean") return bad("model.validate must be a boolean.", id);
      return { ok: true, frame: { type: "model", id, fields: fields as Record<string, unknown>, ...(f.validate ? { validate: true } : {}) } };
    }
    case "ping":
      return { ok: true, frame: { type: "ping" } };
    case undefined:
      return bad("A frame needs a type.");
    default:
      return { ok: false, error: { type: "error", code: ErrorCodes.unknownType, message: `Unknown frame type ${JSON.stringify(String(f.type)).slice(0, 80)}.` } };
  }
}

/** Top-level string members at the start of a frame, then anything: `{"type":"action","id":"a1",...`. */
const LEADING_STRINGS = /^\s*\{((?:\s*"(?:[^"\\]|\\.){0,32}"\s*:\s*"(?:[^"\\]|\\.){0,256}"\s*,)*)/;
const MEMBER = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*")/g;

/**
 * The id of an action frame too large to parse, read from its first members only (the
 * client writes type and id first), so a frame of any size costs a bounded scan.
 */
export function peekActionId(message: string): string | undefined {
  const head = LEADING_STRINGS.exec(message.slice(0, 1024));
  if (!head) return undefined;
  const members = new Map<string, unknown>();
  for (const m of head[1]!.matchAll(MEMBER)) {
    try {
      members.set(JSON.parse(`"${m[1]}"`) as string, JSON.parse(m[2]!));
    } catch {
      return undefined;
    }
  }
  const id = members.get("id");
  return members.get("type") === "action" && typeof id === "string" && id.length > 0 && id.length <= MAX_ID ? id : undefined;
}
