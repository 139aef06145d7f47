import type { RenderFrame } from "../../durable-objects/realtime/protocol";

/**
 * A root's published render: the full render at its head, written by the
 * root itself (RenderPublisher) to a KV namespace, read by page views
 * (PublishedRenders). One writer per key, so the pointer never goes back:
 * the Worker only reads, and asks the root (which then publishes) on a miss.
 */
export interface PublishedRender {
  epoch: string;
  seq: number;
  /** When the root wrote it (ms since the epoch). */
  publishedAt: number;
  frame: RenderFrame;
}

/** Keyed by the object's id: the Worker's stub and the object itself name it alike, whatever the component's names. */
export function publishedRenderKey(objectId: string): string {
  return `stratus:render:${objectId}`;
}

/** The entry, or undefined for anything that is not one whose frame matches its head (a foreign or torn write is a miss). */
export function readPublishedRender(value: unknown): PublishedRender | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const e = value as Partial<PublishedRender>;
  const f = e.frame;
  if (typeof e.epoch !== "string" || typeof e.seq !== "number" || typeof e.publishedAt !== "number") return undefined;
  if (typeof f !== "object" || f === null || f.type !== "render" || f.epoch !== e.epoch || f.seq !== e.seq) return undefined;
  return e as PublishedRender;
}
