/**
 * The timers of `<qr-bridge>` (embed.ts): the clock of the code on display (the countdown's tick
 * every second, the renewal shortly before expiry, the expiry), and the grace a disconnected
 * element gives a reconnect before it stops. Timers only: what they trigger is the element's.
 */

/** Seconds before expiry at which an unscanned code is replaced. */
const RENEW_BEFORE_S = 10;
/** The longest a code may run by its own `expires_at`; past it the clock is not believed. */
const MAX_RUN_MS = 3_600_000;

/** What the clock calls: `tick` each second with the end (unix ms) and the whole run (ms). */
export interface ClockHandlers {
  tick(end: number, total: number): void;
  renew(): void;
  expire(): void;
}

/**
 * Start the clock of a code that expires at `expires` (unix ms), or `ttlS` seconds from `now`
 * when `expires` is not believable (the page's clock far off the server's, which would make the
 * countdown nonsense). Returns what stops it.
 *
 * @example
 * const stop = startClock(expiryMs(h), 120, { tick: draw, renew, expire });
 */
export function startClock(
  expires: number,
  ttlS: number,
  on: ClockHandlers,
  now = Date.now(),
): () => void {
  const end = expires > now && expires - now < MAX_RUN_MS ? expires : now + ttlS * 1000;
  const total = end - now;
  const tick = () => on.tick(end, total);
  tick();
  const ticking = setInterval(tick, 1000);
  const renew = setTimeout(on.renew, Math.max(1000, end - now - RENEW_BEFORE_S * 1000));
  const expire = setTimeout(on.expire, Math.max(0, end - now));
  return () => {
    clearInterval(ticking);
    clearTimeout(renew);
    clearTimeout(expire);
  };
}

/**
 * How long a disconnected element waits for a reconnect before it stops: a framework that moves
 * it (a modal, a list re-render) reconnects it within this, and the code and its watch go on.
 */
export const MOVE_GRACE_MS = 1000;

/**
 * A disconnect that a reconnect within `ms` undoes (the element was moved, not removed): `leave`
 * runs only when no reconnect came.
 *
 * @example
 * #grace = new MoveGrace(() => this.#stopEverything());
 * connectedCallback() { if (this.#grace.connected()) return; this.#start(); }
 * disconnectedCallback() { this.#grace.disconnected(); }
 */
export class MoveGrace {
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #leave: () => void;
  readonly #ms: number;

  constructor(leave: () => void, ms = MOVE_GRACE_MS) {
    this.#leave = leave;
    this.#ms = ms;
  }

  disconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#leave();
    }, this.#ms);
  }

  /** Whether this connect undoes a pending leave (a move): then nothing needs to start. */
  connected(): boolean {
    const moved = this.#timer !== undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return moved;
  }
}
