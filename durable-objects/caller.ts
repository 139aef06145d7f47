/** Who is acting: a socket's connection, or Worker code calling the object by RPC. */
export interface Caller {
  /** Connection id for sockets; the RPC caller's own id (or "rpc") otherwise. */
  readonly id: string;
  /** User id from the mount token (sockets) or the Worker (RPC), when known. */
  readonly user?: string;
  readonly via: "socket" | "rpc" | "broadcast";
}
