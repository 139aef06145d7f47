/** Per-component tuning; every field has a default. Override with `override options = { ... }`. */
export interface ComponentOptions {
  /** Snapshot every N events: recovery replays at most N - 1 events. */
  snapshotEvery: number;
  /** Keep this many snapshots and compact the log behind the oldest; unset keeps the full log (full time travel). */
  keepSnapshots: number | undefined;
  /** How long action ids are remembered for retries. */
  idempotencyTtlMs: number;
  /** Minimum gap between two broadcast frames: commits inside it share one frame. */
  flushMs: number;
  /** Broadcast frames kept for resume: at least this many once sent, at most a quarter more (trimmed in batches). */
  resumeBuffer: number;
  /** Largest client frame, in bytes (bigger closes the socket with 1009). */
  maxFrameBytes: number;
  /** Frames per socket per window before closing with 4008. */
  rateLimit: { frames: number; windowMs: number };
  /** Largest viewer record (viewer state, bound form, errors) in bytes of JSON; setViewer or a model frame past it is refused. */
  maxViewerBytes: number;
  /** Viewer records of viewers not connected for this long are swept (on the heartbeat). */
  viewerTtlMs: number;
  /** Uploads not kept by an action within this long are swept (by the Worker's housekeeping cron). */
  uploadTtlMs: number;
  /** Close sockets silent for this long with 4009 (checked on the alarm every half window). */
  heartbeatMs: number;
  /**
   * Presence across relays: a relay silent for `ttlMs` no longer counts in `watching`, and
   * `onWatching` runs at most once per `flushMs` however fast viewers come and go.
   */
  presence: { ttlMs: number; flushMs: number };
  /**
   * With the Worker's `LIVE_RENDER_KV` set, the root writes its render there at most this often
   * (at least 1000: KV's rate per key), so page views read it instead of calling the object; 0 never.
   */
  renderPublishMs: number;
}

export const defaultOptions: ComponentOptions = {
  snapshotEvery: 1000,
  keepSnapshots: undefined,
  idempotencyTtlMs: 24 * 3600_000,
  flushMs: 16,
  resumeBuffer: 256,
  maxFrameBytes: 64 * 1024,
  rateLimit: { frames: 100, windowMs: 1000 },
  heartbeatMs: 60_000,
  presence: { ttlMs: 30_000, flushMs: 1500 },
  maxViewerBytes: 64 * 1024,
  viewerTtlMs: 7 * 24 * 3600_000,
  uploadTtlMs: 24 * 3600_000,
  renderPublishMs: 1000,
};
