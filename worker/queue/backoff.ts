/**
 * How long to wait before the next try, in seconds.
 * - a number: exponential from that base (base, 2·base, 4·base...), equal jitter, capped;
 * - an array: the delay after each failed try, the last one repeating (Laravel style);
 * - an object: the exponential curve spelled out.
 */
export type BackoffOption = number | readonly number[] | ExponentialBackoff;

export interface ExponentialBackoff {
  base: number;
  /** Cap in seconds; defaults to config `queue.defaults.maxBackoff`. */
  max?: number;
  /**
   * "equal" (default) waits between half and all of the curve, "full" between zero and all of it,
   * "none" exactly the curve. Jitter spreads retries of a batch that failed together.
   */
  jitter?: "equal" | "full" | "none";
}

/** Queues accept delays up to 12 hours. */
const QUEUES_MAX_DELAY = 43_200;

/**
 * Seconds to wait after failed try number `attempt` (1-based), as a whole number
 * because `retry({ delaySeconds })` takes an integer.
 */
export function backoffDelay(option: BackoffOption, attempt: number, maxBackoff: number, random: () => number = Math.random): number {
  const cap = Math.min(maxBackoff, QUEUES_MAX_DELAY);
  if (Array.isArray(option)) {
    const list = option as readonly number[];
    if (list.length === 0) return 0;
    return clamp(list[Math.min(attempt, list.length) - 1] ?? 0, cap);
  }
  const curve: ExponentialBackoff = typeof option === "number" ? { base: option } : (option as ExponentialBackoff);
  const ceiling = Math.min(curve.max ?? cap, cap);
  const raw = Math.min(ceiling, curve.base * 2 ** Math.max(0, attempt - 1));
  switch (curve.jitter ?? "equal") {
    case "none":
      return clamp(raw, ceiling);
    case "full":
      return clamp(random() * raw, ceiling);
    case "equal":
      return clamp(raw / 2 + random() * (raw / 2), ceiling);
  }
}

function clamp(seconds: number, cap: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(cap, Math.round(seconds));
}
