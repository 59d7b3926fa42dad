/**
 * Redeeming a handoff for the app (`POST /v1/resolve` with a `/h/` link or a handoff's install
 * referrer; the resolve route dispatches here once the token or referrer is authentic). The
 * handoff's object redeems exactly once: its payload goes to the first caller, everyone after
 * gets `409 already_redeemed` (the redeemer's own retry aside: below). With the app installed
 * the phone opens the app straight from the QR and the Worker never sees the scan, so this
 * records the scan too (the PC is pushed `scanned` then `redeemed`).
 *
 * The `redeemed` hop is attributed to the device of the handoff's scan (kept by its object),
 * not to whoever resolves, with `detail.via` = how the app was reached (core/app-via.ts): the
 * referrer or the stated path when there is one (the object keeps it for the app's later
 * events), else `page` when a person was shown the landing page first, `direct` when the app
 * opened straight from the QR. A bot caller still redeems (the token is the capability, and the
 * PC must see the outcome), but its hops carry `bot = 1`.
 *
 * The 200 answer alone carries the handoff's events credential (core/event-credential.ts) as
 * `session`: the app reports the handoff's events with it, as it does a poster's session.
 *
 * An app that sent a `claim` with the redeeming call and lost the answer gets the same 200
 * again with the same claim, for a short replay window (core/handoff-replay.ts); everyone else
 * still gets 409. The hops of every redemption have once-only ids (core/redemption-hops.ts):
 * each replay sends them again, the same rows, and so does the object when the replay window
 * closes, claim or not; a send lost with the first call's isolate is made good, and the hop log
 * counts one copy.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { classifyAppCaller } from "../core/app-caller";
import type { AppVia } from "../core/app-via";
import { issueEventCredential } from "../core/event-credential";
import { redemptionHops } from "../core/redemption-hops";
import { handoffDevice, handoffStub, unwrap } from "../store/handoffs";
import { recordHop, requestFacts } from "../store/hops";
import { hopScope } from "./hop-scope";

/**
 * Redeem handoff `id` (its token or referrer already verified) for the calling app: 200 with the
 * payload, 202 while a `confirm: "pc"` handoff waits for the PC; the object's refusals (409,
 * 410, 403) are thrown as API errors.
 *
 * @example
 * return redeemHandoff(c, check.id, body.claim ?? null, statedVia(body.via, body.url));
 */
export async function redeemHandoff(
  c: Context<AppEnv>,
  id: string,
  claim: string | null,
  via: AppVia | null,
): Promise<Response> {
  const info = classifyAppCaller(c.req.raw.headers);
  const bot = !info.isHuman;
  // The object keeps this request's hop facts: a replay, and the object itself when the replay
  // window closes, send the same rows again (with a claim or without).
  const request = { ...requestFacts(c.req.raw), bot };
  const r = unwrap(
    await handoffStub(c.env, id).resolve(handoffDevice(info, c.req.raw), claim, via, request),
  );
  const caller = {
    platform: info.platform,
    in_app: info.inAppBrowser,
    browser: info.browser,
    os: info.os,
    bot,
  };
  if (r.outcome === "awaiting") {
    // The claim of a `confirm: "pc"` handoff: only the scan's once-only hop, if this call
    // recorded it (the object keeps its facts and sends it again: core/handoff-hops.ts).
    for (const input of r.hops) recordHop(hopScope(c), input);
    return c.json(
      {
        kind: "handoff" as const,
        id,
        status: "awaiting_confirmation" as const,
        ...(r.claim ? { claim: r.claim } : {}),
        retry_after: 2,
      },
      202,
    );
  }
  // A replay repeats the answer, not the redemption, and sends its once-only hops again: if the
  // first call's send was lost with its isolate, this copy counts; else the hop log counts none
  // of it (one count, one webhook). A replay of a record older than `replay_hops` sends nothing.
  if (!r.replayed || r.replay_hops)
    for (const input of await redemptionHops(r, caller)) recordHop(hopScope(c), input);
  // Signed from the id and the redemption time alone: a replay gets the same credential.
  const events = await issueEventCredential(c.var.config.keyring, r.id, r.redeemed_at);
  return c.json(
    {
      kind: "handoff" as const,
      id: r.id,
      path: r.path,
      payload: r.payload === null ? null : (JSON.parse(r.payload) as unknown),
      metadata: r.metadata,
      created_by: r.created_by,
      attribution: null,
      session: events.token,
      session_expires_at: events.expiresAtMs,
    },
    200,
  );
}
