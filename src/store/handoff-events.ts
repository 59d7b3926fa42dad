/**
 * What an app event against a handoff is attributed to, asked of the handoff's object: the
 * device of its scan and how the app was reached (page, straight from the QR, or the path the
 * redeeming call named). Events are taken
 * only once the app has redeemed the handoff, and for {@link EVENT_WINDOW_MS} after that (the
 * object keeps a redeemed handoff, without its payload, that long).
 */
import { ApiError } from "../core/errors";
import { EVENT_WINDOW_MS, isTerminal } from "../core/handoff";
import type { Env } from "../env";
import { handoffStub } from "./handoffs";

/**
 * The 410 for an event against a handoff past its window.
 *
 * @example
 * throw handoffTooOld();
 */
export function handoffTooOld(): ApiError {
  return new ApiError(
    "expired",
    `this handoff is too old to report events (events are taken up to ${EVENT_WINDOW_MS / 3_600_000} hours after the app redeemed it)`,
  );
}

/** The attribution of a handoff's events. */
export interface HandoffEventFacts {
  /** Unix ms: the handoff's creation (`ms_since_created` of its hops counts from it). */
  created_at: number;
  platform: string | null;
  in_app: string | null;
  /**
   * How the app was reached: what the redeeming call said (`install_referrer`, `app_clip`, …,
   * core/app-via.ts), else `page` (the landing page was shown first) or `direct` (the app
   * opened from the QR).
   */
  via: string;
}

/**
 * The facts of a redeemed handoff for an event at `nowMs`; throws 409 while it is not redeemed
 * yet, 410 when it ended unredeemed or its event window is over (or it was deleted).
 *
 * @example
 * const facts = await handoffEventFacts(c.env, id, Date.now());
 * await deliverHopsNow(scope, [{ kind: "handoff", subject_id: id, hop: "converted", platform: facts.platform }]);
 */
export async function handoffEventFacts(
  env: Env,
  id: string,
  nowMs: number,
): Promise<HandoffEventFacts> {
  const r = await handoffStub(env, id).eventFacts();
  if (!r.ok) {
    if (r.error === "not_found") throw handoffTooOld();
    throw new ApiError(r.error, r.message);
  }
  if (r.status !== "redeemed") {
    if (isTerminal(r.status))
      throw new ApiError("gone", `this handoff ended without being redeemed (${r.status})`, {
        status: r.status,
      });
    throw new ApiError(
      "conflict",
      "events are taken once the app has redeemed this handoff (POST /v1/resolve)",
      { status: r.status },
    );
  }
  if (r.redeemed_at !== null && nowMs >= r.redeemed_at + EVENT_WINDOW_MS) throw handoffTooOld();
  return {
    created_at: r.created_at,
    platform: r.scan.device?.platform ?? null,
    in_app: r.scan.device?.in_app ?? null,
    via: r.redeemed_via ?? (r.scan.via === "page" ? "page" : "direct"),
  };
}
