import { BadRequestError, ConflictError, HttpError, NotFoundError, ValidationError } from "../http/errors";
import { json } from "../http/respond";
import type { Router } from "../routing/router";
import { adminGuard } from "./admin-guard";
import { parseEnvelope } from "./envelope";
import { InvalidPayloadError, JobTooLargeError, UnknownJobError } from "./errors";
import { FAILED_JOBS, JOB_REGISTRY, JOBS } from "./tokens";

/** Failed jobs: list, show, retry (re-dispatch) and forget, under /admin/jobs. */
export function failedJobRoutes(router: Router): void {
  router.group("/admin/jobs", { middleware: [adminGuard], name: "jobs." }, (r) => {
    r.get("/failed", async (c) => {
      const limit = intParam(c.query.get("limit"), "limit", c.config.database.pageSize, 1, 100);
      const before = c.query.has("before") ? intParam(c.query.get("before"), "before", 0, 1, Number.MAX_SAFE_INTEGER) : undefined;
      return c.resolve(FAILED_JOBS).list(limit, before);
    }, { name: "failed.index" });

    r.get("/failed/:id", async (c) => {
      const row = await c.resolve(FAILED_JOBS).find(c.params.id);
      if (!row) throw new NotFoundError(`No failed job with id "${c.params.id}".`);
      return row;
    }, { name: "failed.show" });

    r.post("/failed/:id/retry", async (c) => {
      const failed = c.resolve(FAILED_JOBS);
      const row = await failed.find(c.params.id);
      if (!row) throw new NotFoundError(`No failed job with id "${c.params.id}".`);
      const parsed = parseEnvelope(row.envelope);
      if (!parsed.ok) throw new ConflictError(`This failed job cannot be retried: ${parsed.reason}`);
      const jobs = c.resolve(JOBS);
      try {
        const job = c.resolve(JOB_REGISTRY).require(parsed.envelope.job);
        // A fresh id and fresh tries; the rest of a chain travels on.
        const message = await jobs.prepare({ job, payload: parsed.envelope.payload, options: { requestId: c.requestId } }, parsed.envelope.chain);
        await jobs.sendPrepared([message]);
        await failed.forget(row.id);
        return json({ id: message.envelope.id, retried: row.id, job: job.name }, { status: 202 });
      } catch (err) {
        throw asHttpError(err);
      }
    }, { name: "failed.retry" });

    r.delete("/failed/:id", async (c) => {
      if (!(await c.resolve(FAILED_JOBS).forget(c.params.id))) throw new NotFoundError(`No failed job with id "${c.params.id}".`);
      return new Response(null, { status: 204 });
    }, { name: "failed.forget" });
  });
}

function asHttpError(err: unknown): unknown {
  if (err instanceof UnknownJobError) return new ConflictError(err.message, { job: err.job });
  if (err instanceof InvalidPayloadError) return new ValidationError(err.issues.map((i) => ({ in: "payload", path: i.path, message: i.message })));
  if (err instanceof JobTooLargeError) return new HttpError(413, { detail: err.message, extensions: { bytes: err.bytes, limit: err.limit } });
  return err;
}

function intParam(raw: string | null, name: string, fallback: number, min: number, max: number): number {
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequestError(`Query parameter "${name}" must be an integer from ${min} to ${max}.`, { parameter: name });
  return n;
}
