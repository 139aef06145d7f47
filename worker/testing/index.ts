/**
 * `stratus/testing`: helpers for an app's own tests under Cloudflare's Vitest
 * integration (they import `cloudflare:test`, so never from production code).
 */
export { signMountToken, verifyMountToken, type MountClaims } from "../../durable-objects/realtime/mount-token";
export { LiveClient, connectLive, type ConnectOptions } from "./live-client";
export { deliverJobs, jobEnvelope, type Delivery } from "./queue-batch";
export { actingAs, type ActingAs, type ActingAsOptions } from "./acting-as";
