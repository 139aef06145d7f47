import { env } from "cloudflare:workers";
import configFile from "../../worker/config/cache";
import { EnvReader } from "../../worker/app/config";
import { CacheManager } from "../../worker/cache/manager";

/** A manager on the real local KV with a clock the test moves; a fresh prefix keeps tests apart. */
export function testCache(overrides: Record<string, string> = {}) {
  const clock = { now: Date.now() };
  const config = configFile.load(new EnvReader({ CACHE_PREFIX: `t${crypto.randomUUID().slice(0, 8)}:`, ...overrides }));
  const manager = new CacheManager({ config, env: env as unknown as Record<string, unknown>, clock: () => clock.now });
  return { manager, clock, config, advance: (seconds: number) => { clock.now += seconds * 1000; } };
}
