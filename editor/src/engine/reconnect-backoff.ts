/** Delay before reconnect attempt `attempt` (0-based): doubling from half a second, capped, with jitter so tabs spread out. */
export const FIRST_DELAY_MS = 500;
export const MAX_DELAY_MS = 8000;

export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
