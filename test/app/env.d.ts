import type { D1Migration } from "cloudflare:test";

// What the app's tests get from vitest.config.ts beyond the app's own bindings.
declare global {
  namespace Cloudflare {
    interface Env {
      /** The app's migrations, applied to each test file's fresh D1 by test/setup/migrations.ts. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
