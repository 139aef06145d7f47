import type { Issue } from "./action";
import type { ErrorCode } from "./realtime/protocol";

/** What an action comes back with, over RPC and (as ack or error frames) over the socket. */
export type DispatchResult =
  | { ok: true; seq: number; duplicate: boolean }
  | { ok: false; code: ErrorCode; message: string; issues?: Issue[] };

export interface BroadcastEvent {
  id: string;
  name: string;
  payload: unknown;
  at: number;
}
