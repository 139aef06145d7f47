import type { D1Migration } from "cloudflare:test";

/** The fixture Durable Object's RPC surface (test/fixtures/live-fixture.js). */
interface LiveFixture {
  receiveBroadcast(event: unknown): Promise<void>;
  received(): Promise<{ id: string; name: string; payload: unknown; at: number }[]>;
}

// Bindings that exist only under Vitest (see vitest.config.ts).
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_WRANGLER_CRONS: string[];
      TEST_LIVE: { getByName(name: string): LiveFixture };
    }
  }
}
