import type * as P from "../durable-objects/realtime/protocol";

/**
 * The frames as the browser reads them. `epoch` (which event log) and `rid`
 * (which render identity) are optional here: a server that predates them
 * sends neither, and the runtime then skips the comparisons they allow.
 */
interface Identity {
  epoch?: string;
  rid?: string;
}
export type RenderFrame = P.RenderFrame & Identity;
export type DiffFrame = P.DiffFrame & Identity;
export type ErrorFrame = Omit<P.ErrorFrame, "code"> & { code: string };
export type ServerFrame = RenderFrame | DiffFrame | ErrorFrame | Exclude<P.ServerFrame, P.RenderFrame | P.DiffFrame | P.ErrorFrame>;
export interface HelloFrame extends P.HelloFrame, Identity {}

/** The server closes on a larger frame (1009); the runtime refuses such an action before sending it. */
export const MAX_ACTION_BYTES = 64 * 1024;
