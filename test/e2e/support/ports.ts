/**
 * Ports for browser-test servers. `E2E_PORT_OFFSET` shifts them all, so two
 * checkouts on one machine can run their browser tests at the same time.
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 50_000) throw new Error(`E2E_PORT_OFFSET must be a small non-negative integer, got ${process.env.E2E_PORT_OFFSET}`);

export function port(n: number): number {
  return n + offset;
}
