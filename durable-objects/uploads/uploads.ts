import type { UploadCompleted, UploadStart, UploadStarted } from "../realtime/protocol";
import { accepts, contentFits, fail, type UploadedFile, type UploadResult, type UploadRule } from "./upload-rules";

/** R2's smallest multipart part (but the last). Chunks are grouped into parts of this size. */
export const R2_PART_BYTES = 5 * 1024 * 1024;
/** A chunk is at most this (it is held in a SQLite row, 2 MB at most, until its part is complete). */
const MAX_CHUNK = 1024 * 1024;
const MAX_NAME = 255;

type Row = {
  id: string;
  field: string;
  name: string;
  type: string;
  size: number;
  user: string | null;
  chunk: number;
  multipart: string | null;
  state: "open" | "complete" | "kept";
  expires: number;
};

export interface UploadOwner {
  component: string;
  key: string;
  user?: string;
}

const dataKey = (id: string) => `uploads/${id}`;
/** Marks a temporary upload, naming its object, so the Worker's cron sweep can find abandoned ones. */
export const markerKey = (id: string) => `tmp/${id}`;
export const MARKER_PREFIX = "tmp/";

/**
 * Uploads of one component object: chunks come through the Worker, wait in SQLite until they fill
 * an R2 part (R2's multipart parts are at least 5 MiB, request bodies usually at most 1 MiB), and
 * go to R2 (`uploads/<id>`). A file of one part is written with a single put. An upload is
 * temporary (marked by `tmp/<id>`) until an action keeps it; the Worker's cron sweeps the rest.
 */
export class Uploads {
  readonly #sql: SqlStorage;
  readonly #bucket: () => R2Bucket | undefined;
  readonly #ttlMs: number;

  constructor(sql: SqlStorage, bucket: () => R2Bucket | undefined, ttlMs: number) {
    this.#sql = sql;
    this.#bucket = bucket;
    this.#ttlMs = ttlMs;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS _stratus_uploads (id TEXT PRIMARY KEY, field TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, user TEXT, chunk INTEGER NOT NULL, multipart TEXT, state TEXT NOT NULL, expires INTEGER NOT NULL)",
    );
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_upload_chunks (id TEXT NOT NULL, n INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (id, n))");
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_upload_parts (id TEXT NOT NULL, n INTEGER NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (id, n))");
  }

  async start(rules: Record<string, UploadRule>, meta: UploadStart, owner: UploadOwner, maxChunk: number): Promise<UploadResult<UploadStarted>> {
    const bucket = this.#bucket();
    if (!bucket) return fail(500, "Uploads need an R2 binding named UPLOADS.");
    const rule = Object.hasOwn(rules, meta.field) ? rules[meta.field] : undefined;
    if (!rule) return fail(400, `This component has no upload field ${JSON.stringify(meta.field.slice(0, 100))}.`);
    if (meta.name.length === 0 || meta.name.length > MAX_NAME || /[\u0000-\u001f/\\]/.test(meta.name)) return fail(400, `A file name is 1 to ${MAX_NAME} characters, without slashes or control characters.`);
    if (!accepts(rule, meta.type)) return fail(415, `${meta.field} accepts ${rule.accept.join(", ")}, not ${JSON.stringify(meta.type.slice(0, 100))}.`);
    if (meta.size > rule.maxBytes) return fail(413, `${meta.field} accepts files up to ${rule.maxBytes} bytes; this one has ${meta.size}.`);
    const id = crypto.randomUUID();
    const chunk = Math.min(maxChunk, MAX_CHUNK);
    const expires = Date.now() + this.#ttlMs;
    await bucket.put(markerKey(id), "", { customMetadata: { component: owner.component, key: owner.key, expires: String(expires) } });
    const multipart = meta.size > R2_PART_BYTES ? (await bucket.createMultipartUpload(dataKey(id), { httpMetadata: { contentType: meta.type } })).uploadId : null;
    this.#sql.exec(
      "INSERT INTO _stratus_uploads (id, field, name, type, size, user, chunk, multipart, state, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
      id, meta.field, meta.name, meta.type, meta.size, owner.user ?? null, chunk, multipart, expires,
    );
    return { ok: true, value: { id, chunkSize: chunk } };
  }

  async part(id: string, n: number, bytes: ArrayBuffer, user: string | undefined): Promise<UploadResult<{ received: number }>> {
    const row = this.#owned(id, user);
    if (!row.ok) return row;
    const r = row.value;
    if (r.state !== "open") return fail(409, "This upload is complete: it takes no more parts.");
    const chunks = Math.ceil(r.size / r.chunk);
    if (!Number.isInteger(n) || n < 1 || n > chunks) return fail(400, `Parts are numbered 1 to ${chunks} for this file.`);
    const expected = n < chunks ? r.chunk : r.size - r.chunk * (chunks - 1);
    if (bytes.byteLength !== expected) return fail(400, `Part ${n} must be ${expected} bytes, not ${bytes.byteLength}.`);
    if (n === 1 && !contentFits(r.type, new Uint8Array(bytes.slice(0, 16)))) {
      await this.discard(id);
      return fail(415, `The file's content is not ${r.type}.`);
    }
    this.#sql.exec("INSERT OR REPLACE INTO _stratus_upload_chunks (id, n, bytes) VALUES (?, ?, ?)", id, n, bytes);
    if (r.multipart !== null) await this.#flushParts(r, chunks);
    return { ok: true, value: { received: n } };
  }

  async complete(id: string, user: string | undefined): Promise<UploadResult<UploadCompleted>> {
    const row = this.#owned(id, user);
    if (!row.ok) return row;
    const r = row.value;
    const bucket = this.#bucket()!;
    const done = { id, name: r.name, type: r.type, size: r.size };
    if (r.state !== "open") return { ok: true, value: done };
    const chunks = Math.ceil(r.size / r.chunk);
    const have = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM _stratus_upload_chunks WHERE id = ?", id).one().n;
    let size: number;
    if (r.multipart === null) {
      if (have !== chunks) return fail(409, `${chunks - have} of ${chunks} parts are missing.`);
      size = (await bucket.put(dataKey(id), this.#take(id, 1, chunks), { httpMetadata: { contentType: r.type } }))!.size;
    } else {
      const parts = this.#sql.exec<{ n: number; etag: string }>("SELECT n, etag FROM _stratus_upload_parts WHERE id = ? ORDER BY n", id).toArray();
      const want = Math.ceil(r.size / this.#perPart(r));
      if (parts.length !== want) return fail(409, `${want - parts.length} of ${want} parts are missing.`);
      size = (await bucket.resumeMultipartUpload(dataKey(id), r.multipart).complete(parts.map((p) => ({ partNumber: p.n, etag: p.etag })))).size;
    }
    if (size !== r.size) {
      await this.discard(id);
      return fail(400, `The file has ${size} bytes, not the ${r.size} declared.`);
    }
    this.#sql.exec("UPDATE _stratus_uploads SET state = 'complete' WHERE id = ?", id);
    this.#sql.exec("DELETE FROM _stratus_upload_parts WHERE id = ?", id);
    return { ok: true, value: done };
  }

  /** A complete upload an action may keep; undefined when unknown, unfinished, another user's, or about to be swept. */
  find(id: string, user: string | undefined): UploadedFile | undefined {
    const r = this.#row(id);
    if (!r || r.state === "open" || (r.user !== null && r.user !== (user ?? null))) return undefined;
    if (r.state === "complete" && r.expires - Date.now() < this.#ttlMs / 4) return undefined;
    return { id: r.id, field: r.field, name: r.name, type: r.type, size: r.size, key: dataKey(r.id) };
  }

  /** In the commit's transaction: these uploads are no longer temporary. */
  keep(ids: readonly string[]): void {
    for (const id of ids) this.#sql.exec("UPDATE _stratus_uploads SET state = 'kept' WHERE id = ?", id);
  }

  /** After the commit: drops the markers (a failure is harmless: the sweep asks before deleting). */
  async unmark(ids: readonly string[]): Promise<void> {
    const bucket = this.#bucket();
    if (bucket && ids.length > 0) await bucket.delete(ids.map(markerKey));
  }

  /** The sweep's question for an expired marker: kept, or deleted now (object, parts, rows). */
  async sweep(id: string): Promise<"kept" | "deleted"> {
    if (this.#row(id)?.state === "kept") return "kept";
    await this.discard(id);
    return "deleted";
  }

  async discard(id: string): Promise<void> {
    const r = this.#row(id);
    const bucket = this.#bucket();
    if (bucket) {
      if (r?.multipart && r.state === "open") await bucket.resumeMultipartUpload(dataKey(id), r.multipart).abort().catch(() => undefined);
      await bucket.delete([dataKey(id), markerKey(id)]);
    }
    for (const t of ["_stratus_uploads", "_stratus_upload_chunks", "_stratus_upload_parts"]) this.#sql.exec(`DELETE FROM ${t} WHERE id = ?`, id);
  }

  #perPart(r: Row): number {
    return Math.ceil(R2_PART_BYTES / r.chunk) * r.chunk;
  }

  /** Sends every R2 part whose chunks have all arrived. */
  async #flushParts(r: Row, chunks: number): Promise<void> {
    const group = this.#perPart(r) / r.chunk;
    const have = new Set(this.#sql.exec<{ n: number }>("SELECT n FROM _stratus_upload_chunks WHERE id = ?", r.id).toArray().map((x) => x.n));
    for (let part = 1; (part - 1) * group < chunks; part++) {
      const first = (part - 1) * group + 1;
      const last = Math.min(part * group, chunks);
      let full = true;
      for (let n = first; n <= last && full; n++) full = have.has(n);
      if (!full) continue;
      const bytes = this.#take(r.id, first, last);
      const uploaded = await this.#bucket()!.resumeMultipartUpload(dataKey(r.id), r.multipart!).uploadPart(part, bytes);
      this.#sql.exec("INSERT OR REPLACE INTO _stratus_upload_parts (id, n, etag) VALUES (?, ?, ?)", r.id, part, uploaded.etag);
      this.#sql.exec("DELETE FROM _stratus_upload_chunks WHERE id = ? AND n BETWEEN ? AND ?", r.id, first, last);
    }
  }

  /** Chunks first..last, concatenated. */
  #take(id: string, first: number, last: number): Uint8Array {
    const rows = this.#sql.exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM _stratus_upload_chunks WHERE id = ? AND n BETWEEN ? AND ? ORDER BY n", id, first, last).toArray();
    const out = new Uint8Array(rows.reduce((s, x) => s + x.bytes.byteLength, 0));
    let at = 0;
    for (const x of rows) {
      out.set(new Uint8Array(x.bytes), at);
      at += x.bytes.byteLength;
    }
    return out;
  }

  #row(id: string): Row | undefined {
    return this.#sql.exec<Row>("SELECT * FROM _stratus_uploads WHERE id = ?", id).toArray()[0];
  }

  #owned(id: string, user: string | undefined): UploadResult<Row> {
    const r = this.#row(id);
    if (!r) return fail(404, "No such upload (it may have been swept).");
    if (r.user !== null && r.user !== (user ?? null)) return fail(403, "This upload belongs to another user.");
    return { ok: true, value: r };
  }
}
