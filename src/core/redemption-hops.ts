/**
 * The hops a handoff's redemption records (`POST /v1/resolve`): `redeemed`, and `scanned` when
 * the app opened straight from the QR so the same call recorded the scan (`via: "app"`, or
 * `same_device` when the link was the widget's, tapped on the phone showing it). Pure: the route
 * sends what this returns.
 *
 * The Worker sends them after the object answered, and its isolate may die before it does. So
 * every redemption's hops get a once-only id (`ev_…`, {@link appEventId}, from the handoff id: a
 * handoff is redeemed once) and are built from what the object kept, never from the sending
 * request: the same `at`, device, bot flag, country, colo and referrer, the same row whichever
 * call sends it, and the hop log counts it once (store/hop-ingest.ts). The object sends them a
 * last time when the replay window closes (store/handoff-redeem.ts), with a claim or without;
 * a redemption with a claim is also sent again by each replay (core/handoff-replay.ts). Only the
 * IP hash of a person's scan is the sender's (a replay's: the same phone, perhaps on another
 * network; the object's copy has none).
 */
import { appScanVia } from "./app-via";
import { handoffEventId } from "./handoff-hops";
import type { HandoffDevice } from "./handoff-parties";
import type { ReplayHops } from "./handoff-replay";
import type { HopInput } from "./hop-input";

/** What the object answers about a redemption (store/handoff-redeem.ts), as far as hops go. */
export interface RedemptionFacts {
  id: string;
  /** This call recorded the scan (always false on a replay). */
  scanned: boolean;
  scan: { device: HandoffDevice | null; via: "page" | "app" | null };
  created_at: number;
  scanned_at: number | null;
  redeemed_at: number;
  /** How the redeeming app said it was reached (core/app-via.ts), or null. */
  redeemed_via: string | null;
  /** Kept for every redemption until its window closes; null for a record older than it. */
  replay_hops: ReplayHops | null;
}

/** The calling app as the route classified it. */
export interface RedeemCaller {
  platform: string;
  in_app: string | null;
  browser: string | null;
  os: string | null;
  bot: boolean;
}

/**
 * The once-only id of a redemption's `hop` (`scanned` or `redeemed`) of handoff `id`: the same
 * for every copy, and as the handoff's other steps' (core/handoff-hops.ts). `POST /v1/events` takes only `app_open` and `converted`, so no app event
 * shares it.
 *
 * @example
 * await redemptionEventId("8QK3T0M1ZC7X9R2B4N6D", "redeemed") // "ev_…" (32 hex)
 */
export function redemptionEventId(id: string, hop: "scanned" | "redeemed"): Promise<string> {
  return handoffEventId(id, hop);
}

/**
 * The hops to send for redemption `r` by `caller`: the same once-only rows every time, from what
 * the object kept ({@link onceRedemptionHops}); for a record older than `replay_hops`, the
 * call's own rows with random ids.
 *
 * @example
 * for (const input of await redemptionHops(r, caller)) recordHop(scope, input);
 */
export async function redemptionHops(
  r: RedemptionFacts,
  caller: RedeemCaller,
): Promise<HopInput[]> {
  if (r.replay_hops) return onceRedemptionHops(r, r.replay_hops);
  const base = baseOf(r, caller.platform, caller.in_app, caller.bot);
  const redeemed: HopInput = { ...base, hop: "redeemed", detail: { via: viaOf(r) } };
  if (!r.scanned) return [redeemed];
  const detail = { via: appScanVia(r.redeemed_via), browser: caller.browser, os: caller.os };
  return [{ ...base, hop: "scanned", detail }, redeemed];
}

/**
 * The once-only hops of a redemption, from `once`, the facts its object kept: the same rows
 * whoever sends them (the redeeming call, a replay, the object when the window closes).
 *
 * @example
 * const hops = await onceRedemptionHops(r, rec.replay_hops);
 */
export async function onceRedemptionHops(
  r: Omit<RedemptionFacts, "scanned" | "replay_hops">,
  once: ReplayHops,
): Promise<HopInput[]> {
  const device = r.scan.device;
  const { country, colo, referrer_host } = once;
  const base = {
    ...baseOf(r, device?.platform ?? null, device?.in_app ?? null, once.bot),
    request_facts: { country, colo, referrer_host },
  };
  const hops: HopInput[] = [];
  if (once.scanned && r.scanned_at !== null)
    hops.push({
      ...base,
      hop: "scanned",
      at: r.scanned_at,
      event_id: await redemptionEventId(r.id, "scanned"),
      // The scan's device is the redeemer's: the same call recorded both.
      detail: {
        via: appScanVia(r.redeemed_via),
        browser: device?.browser ?? null,
        os: device?.os ?? null,
      },
    });
  hops.push({
    ...base,
    hop: "redeemed",
    at: r.redeemed_at,
    event_id: await redemptionEventId(r.id, "redeemed"),
    detail: { via: viaOf(r) },
  });
  return hops;
}

/** The fields every hop of a redemption shares; the scan's device wins over the caller's. */
function baseOf(
  r: Pick<RedemptionFacts, "id" | "created_at" | "scan">,
  platform: string | null,
  inApp: string | null,
  bot: boolean,
) {
  const device = r.scan.device;
  return {
    kind: "handoff" as const,
    subject_id: r.id,
    created_at: r.created_at,
    platform: device?.platform ?? platform,
    in_app: device ? device.in_app : inApp,
    bot,
  };
}

/** The redeemed hop's `detail.via`: as the app said, else how the visit started. */
function viaOf(r: Pick<RedemptionFacts, "redeemed_via" | "scan">): string {
  return r.redeemed_via ?? (r.scan.via === "page" ? "page" : "direct");
}
