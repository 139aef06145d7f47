import worker from "../fixtures/worker";
import { deliverJobs, jobEnvelope, type Delivery } from "../../worker/testing/queue-batch";

export type { Delivery };
export const envelope = jobEnvelope;

/** Delivers bodies to the fixture Worker's `queue` entry point as one batch. */
export function deliver(bodies: { body: unknown; attempts?: number; id?: string }[], queue = "stratus-jobs"): Promise<Delivery> {
  return deliverJobs(worker, bodies, queue);
}
