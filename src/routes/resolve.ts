/**
 * `POST /v1/resolve`: the app hands over the bridge link that opened it and learns where to go.
 * A handoff link (`/h/<token>`) is redeemed exactly once: its payload is returned to the first
 * caller and everyone after gets `409 already_redeemed`. With the app installed the phone opens
 * the app straight from the QR and the Worker never sees the scan, so resolve records the scan
 * too (the PC is pushed `scanned` then `redeemed`). A poster link (`/p/<code>`) is delegated to
 * the poster module. No API key: the signed token is the capability; calls are limited per
 * client IP, forged tokens more strictly (store/client-limits.ts).
 *
 * The `redeemed` hop is attributed to the device of the handoff's scan (kept by its object),
 * not to whoever resolves, with `detail.via`: `page` when a person was shown the landing page
 * first, `direct` when the app opened straight from the QR. A bot caller still redeems (the
 * token is the capability, and the PC must see the outcome), but its hops carry `bot = 1`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { classifyAppCaller } from "../core/app-caller";
import { bridgeLinkOf } from "../core/bridge-link";
import { ApiError } from "../core/errors";
import { LINK_PARAM } from "../core/handoff";
import { verifyToken } from "../core/token";
import { clientThrottled } from "../store/client-limits";
import { handoffDevice, handoffStub, unwrap } from "../store/handoffs";
import { type HopInput, recordHop } from "../store/hops";
import { access } from "./access";
import { limitCalls, throttledJson } from "./client-limits";
import { hopScope } from "./hop-scope";
import { ResolvedPosterBody, resolvePosterLink } from "./posters-resolve";
import { errorResponses } from "./schemas";
import { publicBase } from "./urls";

const ResolveRequest = z
  .object({
    url: z
      .string()
      .min(1)
      .max(2048)
      .openapi({
        description: `The bridge link that opened the app (or a custom-scheme URL carrying it as \`?${LINK_PARAM}=\`)`,
        example: "HTTPS://QR.EXAMPLE.COM/H/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN",
      }),
    claim: z.string().min(16).max(100).optional().openapi({
      description:
        'confirm: "pc" only — the claim secret from the 202 answer (or one the app chose itself on its first call); send it on every retry',
    }),
  })
  .openapi("ResolveRequest");

const ResolvedHandoff = z
  .object({
    kind: z.literal("handoff"),
    id: z.string(),
    path: z.string().nullable().openapi({ description: "The in-app path given at creation" }),
    payload: z.unknown().openapi({ description: "The JSON given at creation, or null" }),
    metadata: z.record(z.string(), z.string()).nullable(),
    attribution: z.null(),
  })
  .openapi("ResolvedHandoff");

/**
 * The 200 answer of `POST /v1/resolve`, one shape per kind of link: a typed client tells them
 * apart by `kind`. (A QR login link is not resolved: it goes to `POST /v1/logins/scan`.)
 */
export const ResolvedLink = z
  .discriminatedUnion("kind", [ResolvedHandoff, ResolvedPosterBody])
  .openapi("ResolvedLink");

/** The 202 answer of `POST /v1/resolve` for a `confirm: "pc"` handoff the PC has not decided. */
export const Awaiting = z
  .object({
    kind: z.literal("handoff"),
    id: z.string(),
    status: z.literal("awaiting_confirmation"),
    claim: z
      .string()
      .optional()
      .openapi({ description: "Send it back on every retry. Shown once." }),
    retry_after: z.number().int().openapi({ description: "Seconds before asking again" }),
  })
  .openapi("AwaitingConfirmation");

function hop(c: Context<AppEnv>, input: Omit<HopInput, "kind">): void {
  recordHop(hopScope(c), { kind: "handoff", ...input });
}

/**
 * Register `POST /v1/resolve`.
 *
 * @example
 * registerResolveRoutes(app);
 */
export function registerResolveRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/resolve",
      operationId: "resolveLink",
      security: access.public,
      tags: ["app"],
      summary: "Resolve a bridge link in the app (redeems a handoff once)",
      description:
        "The 200 answer's `kind` says which link it was. Handoff: `200` with the payload exactly once; again `409 already_redeemed`; expired `410`; forged `400 invalid_token`. With `confirm: \"pc\"`: `202 awaiting_confirmation` until the PC approves (then `200` for the claimant) or denies (`403`). Poster links answer with the poster's target and attribution. A QR login link is `400 invalid_url` naming `POST /v1/logins/scan`, where it belongs. `429` (with `Retry-After`) when the client IP made too many calls, or sent too many forged links. The optional `X-QB-Platform: ios|android` header states the calling app's platform (used only for a scan this call records itself).",
      middleware: [limitCalls("json")] as const,
      request: {
        body: { content: { "application/json": { schema: ResolveRequest } }, required: true },
      },
      responses: {
        200: {
          description: "Where to go, with the handoff's payload (or a poster's attribution)",
          content: {
            "application/json": {
              schema: ResolvedLink,
            },
          },
        },
        202: {
          description: "confirm: pc — waiting for the PC to approve",
          content: { "application/json": { schema: Awaiting } },
        },
        ...errorResponses(400, 403, 404, 409, 410, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const link = bridgeLinkOf(publicBase(c), body.url);
      // The poster module shapes its own answer (documented under 200 above).
      if (link.kind === "p") return (await resolvePosterLink(c, link.code, link.url)) as never;

      const { keyring, handoff: limits } = c.var.config;
      const now = Math.floor(Date.now() / 1000);
      const check = await verifyToken(keyring, "h", link.code, now);
      if (!check.ok && check.reason !== "expired") {
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson() as never;
        hop(c, {
          subject_id: "invalid",
          hop: "rejected",
          detail: { reason: check.reason, via: "app" },
        });
        throw new ApiError("invalid_token", "not a handoff link of this bridge");
      }
      // An expired token may still be redeemable (scanned, within the redeem window): only the
      // object knows. Past any possible window, answer without asking it.
      if (!check.ok && now >= check.expiresAt + limits.redeemWindow) {
        throw new ApiError("expired", "this handoff has expired", { status: "expired" });
      }
      const info = classifyAppCaller(c.req.raw.headers);
      const r = unwrap(
        await handoffStub(c.env, check.id).resolve(
          handoffDevice(info, c.req.raw),
          body.claim ?? null,
        ),
      );
      // The scan's device (this caller's when this call recorded the scan).
      const scanned = r.scan.device;
      const facts = {
        subject_id: check.id,
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
            id: check.id,
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
        detail: { via: r.scan.via === "page" ? "page" : "direct" },
      });
      return c.json(
        {
          kind: "handoff" as const,
          id: r.id,
          path: r.path,
          payload: r.payload === null ? null : (JSON.parse(r.payload) as unknown),
          metadata: r.metadata,
          attribution: null,
        },
        200,
      );
    },
  );
}
