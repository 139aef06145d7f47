import { readJson } from "../http/body";
import type { RequestContext } from "../http/context";
import { BadRequestError, HttpError, UnauthorizedError } from "../http/errors";
import type { Router } from "./router";
import { UPLOAD_TOKEN_HEADER, type UploadCompleted, type UploadStart, type UploadStarted } from "../../durable-objects/realtime/protocol";
import type { UploadResult } from "../../durable-objects/uploads/upload-rules";
import type { UploadOwner } from "../../durable-objects/uploads/uploads";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { checkOrigin, verified } from "./live-auth";

/** The component object's upload methods (see Component). */
interface UploadTarget {
  uploadStart(meta: UploadStart, owner: UploadOwner, maxChunk: number): Promise<UploadResult<UploadStarted>>;
  uploadPart(id: string, part: number, bytes: ArrayBuffer, user?: string): Promise<UploadResult<{ received: number }>>;
  uploadComplete(id: string, user?: string): Promise<UploadResult<UploadCompleted>>;
}

const ID = /^[0-9a-f-]{36}$/;

/** The token in the header authorises the upload for its component, key and user. */
async function target(c: RequestContext, component: string, key: string): Promise<{ stub: UploadTarget; owner: UploadOwner }> {
  const stub = c.resolve(COMPONENT_REGISTRY).stub(component, key) as unknown as UploadTarget;
  checkOrigin(c, "upload files");
  const token = c.request.headers.get(UPLOAD_TOKEN_HEADER);
  if (!token) throw new UnauthorizedError(`An upload needs the mount token in the ${UPLOAD_TOKEN_HEADER} header.`);
  const user = (await verified(c, { component, key }, token, "upload files")).u;
  return { stub, owner: { component, key, ...(user !== undefined ? { user } : {}) } };
}

function answer<T>(r: UploadResult<T>): T {
  if (!r.ok) throw new HttpError(r.status, { detail: r.detail });
  return r.value;
}

function uploadId(id: string): string {
  if (!ID.test(id)) throw new BadRequestError("Upload ids are the UUIDs the start route returns.");
  return id;
}

/**
 * Uploads for live components, through the Worker to R2 (binding UPLOADS), authorised by the mount
 * token: start (type and size checked against the component's `uploads` rules), chunks, complete.
 */
export function uploadRoutes(router: Router): void {
  router.post(
    "/live/:component/:key/uploads",
    async (c) => {
      const { stub, owner } = await target(c, c.params.component, c.params.key);
      const body = await readJson<unknown>(c);
      const m = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      if (typeof m.name !== "string" || typeof m.type !== "string" || typeof m.field !== "string" || typeof m.size !== "number" || !Number.isSafeInteger(m.size) || m.size < 1) {
        throw new BadRequestError('The body must be JSON {"name": string, "type": string, "size": positive integer, "field": string}.');
      }
      const meta: UploadStart = { name: m.name, type: m.type, size: m.size, field: m.field };
      return answer(await stub.uploadStart(meta, owner, c.config.app.http.maxBodyBytes));
    },
    { name: "live.upload" },
  );
  router.put(
    "/live/:component/:key/uploads/:id/:part",
    async (c) => {
      const { stub, owner } = await target(c, c.params.component, c.params.key);
      const id = uploadId(c.params.id);
      if (!/^[1-9]\d{0,5}$/.test(c.params.part)) throw new BadRequestError("Parts are numbered from 1.");
      const bytes = await c.request.arrayBuffer();
      return answer(await stub.uploadPart(id, Number(c.params.part), bytes, owner.user));
    },
    { name: "live.upload.part" },
  );
  router.post(
    "/live/:component/:key/uploads/:id/complete",
    async (c) => {
      const { stub, owner } = await target(c, c.params.component, c.params.key);
      return answer(await stub.uploadComplete(uploadId(c.params.id), owner.user));
    },
    { name: "live.upload.complete" },
  );
}
