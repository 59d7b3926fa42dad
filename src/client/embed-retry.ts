/**
 * When `<qr-bridge>` (embed.ts) tries again on its own after a request failed. A network error,
 * a 5xx or a 429 is the bridge (or the site's backend, or the Wi-Fi) briefly away: tried again
 * after 1, 2 and 4 s (or later, when the answer said `Retry-After`), then when the window comes
 * back online. Any other 4xx — a bad publishable key, a forbidden origin, a refused body — is an
 * answer that a retry would only repeat: it waits for the page or the visitor's button.
 * A try that falls due while the tab is hidden waits for the tab to be shown again, then runs
 * once: like the renewals, nothing is asked of the bridge for a page nobody looks at.
 */

/** The waits before the automatic tries after a failure, in order. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000];

/** What a failed request tells about itself (watch.ts `BridgeRequestError`). */
export interface FailedRequest {
  code?: string;
  /** The HTTP status; 0 when no answer came. */
  status?: number;
  /** Seconds the answer asked to wait (`Retry-After`, or `details.retry_after`); 0 if none. */
  retryAfter?: number;
}

/**
 * Whether a failed request is worth trying again unasked: no answer at all, a 5xx or a 429.
 *
 * @example
 * retryable({ code: "network" })                       // true
 * retryable({ code: "forbidden_origin", status: 403 }) // false
 */
export function retryable(err: FailedRequest): boolean {
  const status = err.status ?? 0;
  return err.code === "network" || status >= 500 || status === 429;
}

/**
 * The wait before automatic try `attempt` (0 for the first) after `err`, in ms: the schedule's,
 * or the answer's `Retry-After` when that is longer; null when the schedule is used up.
 *
 * @example
 * retryDelay(0, {})                 // 1000
 * retryDelay(1, { retryAfter: 60 }) // 60000
 * retryDelay(3, {})                 // null: wait for the window's `online` event
 */
export function retryDelay(attempt: number, err: FailedRequest): number | null {
  const wait = RETRY_DELAYS_MS[attempt];
  if (wait === undefined) return null;
  return Math.max(wait, (err.retryAfter ?? 0) * 1000);
}

/**
 * Send the PC's decision (approve or deny), and once more at once when it got no answer or a 5xx:
 * the bridge answers a repeated decision as it answered the first (`200`), so a decision made
 * whose answer was lost is not shown as an error. Any other refusal is final, and so is a second
 * failure.
 *
 * @example
 * await sendDecision(() => decide(handoff, base, "approve"));
 */
export async function sendDecision(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    const { code, status = 0 } = err as FailedRequest;
    if (code !== "network" && status < 500) throw err;
    await send();
  }
}

type Listened = Pick<EventTarget, "addEventListener" | "removeEventListener">;

/** The clock, the window and the document an {@link AutoRetry} uses (injected in tests). */
export interface RetryEnv {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Says `online`. */
  target: Listened;
  /** Whether the tab is hidden now; says `visibilitychange`. */
  page: Listened & { readonly hidden: boolean };
}

/**
 * The automatic tries of one element: `failed(err)` after each failure, `reset()` after a
 * success or the visitor's own retry, `cancel()` when the element goes away.
 *
 * @example
 * const retry = new AutoRetry(() => this.#create());
 * retry.failed(err); // `run` again in 1 s (if `err` is retryable)
 */
export class AutoRetry {
  #attempt = 0;
  #timer: unknown;
  #waiting = false;
  /** A try fell due while the tab was hidden: it runs when the tab is shown. */
  #held = false;
  readonly #run: () => void;
  readonly #env: RetryEnv;

  constructor(
    run: () => void,
    env: RetryEnv = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      target: window,
      page: document,
    },
  ) {
    this.#run = run;
    this.#env = env;
  }

  /** After a failure: schedule the next try; true if one is due (a timer or the `online` event). */
  failed(err: FailedRequest): boolean {
    this.cancel();
    if (!retryable(err)) return false;
    const wait = retryDelay(this.#attempt++, err);
    if (wait !== null) {
      this.#timer = this.#env.setTimeout(() => this.#fire(), wait);
    } else {
      this.#waiting = true;
      this.#env.target.addEventListener("online", this.#online);
    }
    return true;
  }

  /** Start the schedule again from its first wait (after a success, or a try the visitor asked for). */
  reset(): void {
    this.cancel();
    this.#attempt = 0;
  }

  /** Drop the pending try, if any. */
  cancel(): void {
    this.#env.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiting) this.#env.target.removeEventListener("online", this.#online);
    this.#waiting = false;
    if (this.#held) this.#env.page.removeEventListener("visibilitychange", this.#shown);
    this.#held = false;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#due();
  }

  // Back online: a fresh schedule, as if the blip were the first.
  #online = (): void => {
    this.reset();
    this.#due();
  };

  /** A try is due: run it now, or once the tab is shown again. */
  #due(): void {
    if (!this.#env.page.hidden) {
      this.#run();
      return;
    }
    if (this.#held) return;
    this.#held = true;
    this.#env.page.addEventListener("visibilitychange", this.#shown);
  }

  #shown = (): void => {
    if (this.#env.page.hidden) return;
    this.#env.page.removeEventListener("visibilitychange", this.#shown);
    this.#held = false;
    this.#run();
  };
}
