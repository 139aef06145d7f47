/** What one upload field of a component accepts. */
export interface UploadRule {
  /** MIME types (`image/png`) or families (`image/*`). */
  accept: readonly string[];
  /** Largest file, in bytes. */
  maxBytes: number;
}

/** A completed upload, as an action sees it (and keeps it with `ctx.keepUpload(id)`). */
export interface UploadedFile {
  id: string;
  field: string;
  name: string;
  type: string;
  size: number;
  /** The object's key in the UPLOADS bucket. */
  key: string;
}

export type UploadResult<T> = { ok: true; value: T } | { ok: false; status: number; detail: string };

export const fail = (status: number, detail: string): { ok: false; status: number; detail: string } => ({ ok: false, status, detail });

export function accepts(rule: UploadRule, type: string): boolean {
  const t = type.toLowerCase();
  return rule.accept.some((a) => (a.endsWith("/*") ? t.startsWith(a.slice(0, -1).toLowerCase()) : t === a.toLowerCase()));
}

/** Leading bytes of the types whose content can be told from them; other types are taken as declared. */
const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  "image/png": (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/gif": (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  "image/webp": (b) => String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP",
  "application/pdf": (b) => String.fromCharCode(...b.slice(0, 5)) === "%PDF-",
};

/** Whether the first bytes of a file fit its declared type (the check after upload). */
export function contentFits(type: string, first: Uint8Array): boolean {
  const check = MAGIC[type.toLowerCase()];
  return check === undefined || check(first);
}
