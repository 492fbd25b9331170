/** How long to wait before reconnect attempt `attempt` (0-based), with socket.io-client's defaults. */
export interface ReconnectDelayOptions {
  /** First delay, in ms. Default 1,000 (socket.io-client's `reconnectionDelay`). */
  min?: number;
  /** Longest delay, in ms. Default 5,000 (`reconnectionDelayMax`). */
  max?: number;
  /** Share of the delay added or taken away at random. Default 0.5 (`randomizationFactor`). */
  jitter?: number;
}

/**
 * Exponential backoff with jitter, as socket.io-client's Backoff: doubling from `min`,
 * spread by ±`jitter` so that a thousand browsers cut off by one server restart do not
 * all come back in the same millisecond, capped at `max`.
 */
export function reconnectDelay(attempt: number, { min = 1000, max = 5000, jitter = 0.5 }: ReconnectDelayOptions = {}): number {
  const base = min * 2 ** Math.min(attempt, 30);
  return Math.min(base + (Math.random() * 2 - 1) * jitter * base, max) | 0;
}
