/**
 * Redeeming a handoff for the app (`POST /v1/resolve` with a `/h/` link or a handoff's install
 * referrer; the resolve route dispatches here once the token or referrer is authentic). The
 * handoff's object redeems exactly once: its payload goes to the first caller, everyone after
 * gets `409 already_redeemed`. With the app installed the phone opens the app straight from the
 * QR and the Worker never sees the scan, so this records the scan too (the PC is pushed
 * `scanned` then `redeemed`).
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
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { classifyAppCaller } from "../core/app-caller";
import type { AppVia } from "../core/app-via";
import { issueEventCredential } from "../core/event-credential";
import { handoffDevice, handoffStub, unwrap } from "../store/handoffs";
import { type HopInput, recordHop } from "../store/hops";
import { hopScope } from "./hop-scope";

function hop(c: Context<AppEnv>, input: Omit<HopInput, "kind">): void {
  recordHop(hopScope(c), { kind: "handoff", ...input });
}

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
  const r = unwrap(
    await handoffStub(c.env, id).resolve(handoffDevice(info, c.req.raw), claim, via),
  );
  // The scan's device (this caller's when this call recorded the scan).
  const scanned = r.scan.device;
  const facts = {
    subject_id: id,
    created_at: r.created_at,
    platform: scanned?.platform ?? info.platform,
    in_app: scanned ? scanned.in_app : info.inAppBrowser,
    bot: !info.isHuman,
  };
  if (r.scanned)
    hop(c, {
      ...facts,
      hop: "scanned",
      detail: { via: "app", browser: info.browser, os: info.os },
    });
  if (r.outcome === "awaiting") {
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
  hop(c, {
    ...facts,
    hop: "redeemed",
    detail: { via: via ?? (r.scan.via === "page" ? "page" : "direct") },
  });
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
