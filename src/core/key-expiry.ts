/**
 * When an API key stops working on its own: a temporary key's `expires_at`, and the grace
 * period a roll gives the key it replaces. Pure; the request's clock is given.
 */

/**
 * Whether a key with `expiresAt` (unix ms; null: never) is refused at `now`: from `expiresAt`
 * on, so it works until `expiresAt − 1`.
 *
 * @example
 * keyExpired(null, now) // false
 * keyExpired(1_000, 999) // false
 * keyExpired(1_000, 1_000) // true
 */
export function keyExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && now >= expiresAt;
}

/**
 * The expiries a roll at `now` sets, given the rolled key's own (`current`, null: none) and the
 * grace asked for (seconds): the old key ends after the grace, or sooner when it was to end
 * sooner anyway; the new key ends when the old one was meant to (a temporary key rolled stays
 * temporary), else never.
 *
 * @example
 * rollExpiries(null, 86_400, 0) // { old: 86_400_000, successor: null }
 * rollExpiries(60_000, 86_400, 0) // { old: 60_000, successor: 60_000 }
 */
export function rollExpiries(
  current: number | null,
  graceSeconds: number,
  now: number,
): { old: number; successor: number | null } {
  const end = now + graceSeconds * 1000;
  return { old: current === null ? end : Math.min(current, end), successor: current };
}
