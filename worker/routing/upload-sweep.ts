import type { ServiceProvider } from "../app/service-provider";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { SCHEDULER } from "../schedule/provider";
import { MARKER_PREFIX } from "../../durable-objects/uploads/uploads";

interface SweepTarget {
  sweepUpload(id: string): Promise<"kept" | "deleted">;
}

/** Markers swept per run, at most (the next run goes on where this one stopped). */
const PER_RUN = 500;

/**
 * Deletes abandoned temporary uploads: each expired `tmp/<id>` marker names the object that owns
 * the upload, which deletes it unless an action kept it (its SQLite is the authority, so a marker
 * left behind by a failed delete never costs a kept file); then the marker goes.
 */
export async function sweepUploads(bucket: R2Bucket, owner: (component: string, key: string) => SweepTarget, now = Date.now()): Promise<{ deleted: number; kept: number }> {
  let deleted = 0;
  let kept = 0;
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await bucket.list({ prefix: MARKER_PREFIX, include: ["customMetadata"], ...(cursor ? { cursor } : {}) });
    for (const marker of page.objects) {
      if (++seen > PER_RUN) return { deleted, kept };
      const meta = marker.customMetadata ?? {};
      if (!(Number(meta.expires) < now)) continue;
      const id = marker.key.slice(MARKER_PREFIX.length);
      let outcome: "kept" | "deleted" = "deleted";
      try {
        if (meta.component && meta.key) outcome = await owner(meta.component, meta.key).sweepUpload(id);
        else await bucket.delete(`uploads/${id}`);
      } catch (err) {
        // The owner is unreachable (or its component is gone from the app): try again next run.
        console.error("upload sweep skipped a marker", marker.key, err);
        continue;
      }
      if (outcome === "kept") kept++;
      else deleted++;
      await bucket.delete(marker.key);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { deleted, kept };
}

/** Runs the sweep on the framework's housekeeping cron when the app has an UPLOADS bucket. */
export const uploadSweepProvider: ServiceProvider = {
  name: "live.uploads",
  register() {},
  boot(app) {
    if (!app.container.has(SCHEDULER)) return;
    app.resolve(SCHEDULER).cron(app.config.schedule.housekeepingCron, "live:sweep-uploads", async (ctx) => {
      const bucket = (ctx.env as { UPLOADS?: R2Bucket }).UPLOADS;
      if (!bucket) return;
      const registry = ctx.resolve(COMPONENT_REGISTRY);
      const r = await sweepUploads(bucket, (component, key) => registry.stub(component, key) as unknown as SweepTarget);
      if (r.deleted > 0 || r.kept > 0) ctx.log.info("swept temporary uploads", r);
    });
  },
};
