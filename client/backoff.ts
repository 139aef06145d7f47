/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random),
 * so a server restart is not met by every tab at the same instant while a
 * single tab still comes back quickly.
 */
export function backoffDelay(attempt: number, base = 250, cap = 10_000, random: () => number = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
