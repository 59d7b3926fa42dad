/**
 * `POST /v1/resolve`: the app hands over the bridge link that opened it — or, on Android after
 * an installation, the Play install referrer that stands for it — and learns where to go.
 * A handoff (`/h/<token>`) is redeemed exactly once (routes/resolve-handoff.ts); a poster link
 * (`/p/<code>`) is delegated to the poster module. A referrer (core/install-referrer.ts)
 * carries its link's token and resolves exactly like the link, with `via: "install_referrer"`. No API key: the signed token
 * is the capability; calls are limited per client IP, forged ones more strictly
 * (store/client-limits.ts). How the app was reached goes into the hops' `detail.via`
 * (core/app-via.ts): nothing is matched by IP address or user agent.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { type AppVia, STATED_VIAS, statedVia } from "../core/app-via";
import { bridgeLinkOf } from "../core/bridge-link";
import { ApiError } from "../core/errors";
import { REPLAY_WINDOW_MS } from "../core/handoff-replay";
import { referrerParts } from "../core/install-referrer";
import { verifyToken } from "../core/token";
import { clientThrottled } from "../store/client-limits";
import { recordHop } from "../store/hops";
import { access } from "./access";
import { limitCalls, throttledJson } from "./client-limits";
import { hopScope } from "./hop-scope";
import { ResolvedPosterBody, resolvePosterLink, resolvePosterReferrer } from "./posters-resolve";
import { redeemHandoff } from "./resolve-handoff";
import { errorResponses } from "./schemas";
import { publicBase } from "./urls";

const ResolveRequest = z
  .object({
    url: z.string().min(1).max(2048).optional(),
    referrer: z.string().min(1).max(1024).optional(),
    via: z.enum(STATED_VIAS).optional(),
    claim: z.string().min(16).max(100).optional(),
  })
  .refine((b) => (b.url === undefined) !== (b.referrer === undefined), {
    message: "send url or referrer, one of them",
    path: ["url"],
  })
  .openapi("ResolveRequest");

const ResolvedHandoff = z
  .object({
    kind: z.literal("handoff"),
    id: z.string(),
    path: z.string().nullable(),
    payload: z.unknown(),
    metadata: z.record(z.string(), z.string()).nullable(),
    created_by: z.enum(["server", "page"]).nullable(),
    attribution: z.null(),
    session: z.string(),
    session_expires_at: z.number().int(),
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
    claim: z.string().optional(),
    retry_after: z.number().int(),
  })
  .openapi("AwaitingConfirmation");

/** A forged link or referrer: a `rejected` hop that names no subject. */
function rejected(c: Context<AppEnv>, reason: string): void {
  recordHop(hopScope(c), {
    kind: "handoff",
    subject_id: "invalid",
    hop: "rejected",
    detail: { reason, via: "app" },
  });
}

/** A referrer that names none of our links: as a forged link, with the field named. */
async function refuseReferrer(c: Context<AppEnv>, reason: string): Promise<Response> {
  if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson();
  rejected(c, reason);
  throw new ApiError("invalid_token", "referrer: not an install referrer of this bridge", {
    field: "referrer",
  });
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
      // A Play install referrer carries its link's token: it resolves exactly as the link.
      const ref = body.referrer === undefined ? null : referrerParts(body.referrer);
      if (body.referrer !== undefined && !ref)
        return (await refuseReferrer(c, "malformed")) as never;
      if (ref?.kind === "session") return (await resolvePosterReferrer(c, ref.token)) as never;
      let code = ref?.token ?? "";
      let via: AppVia | null = "install_referrer";
      if (!ref) {
        const link = bridgeLinkOf(publicBase(c), body.url!);
        via = statedVia(body.via, body.url!);
        // The poster module shapes its own answer (documented under 200 above).
        if (link.kind === "p")
          return (await resolvePosterLink(c, link.code, link.url, via, body.claim)) as never;
        code = link.code;
      }

      const { keyring, handoff: limits } = c.var.config;
      const now = Math.floor(Date.now() / 1000);
      const check = await verifyToken(keyring, "h", code, now);
      if (!check.ok && check.reason !== "expired") {
        if (ref) return (await refuseReferrer(c, check.reason)) as never;
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson() as never;
        rejected(c, check.reason);
        throw new ApiError("invalid_token", "not a handoff link of this bridge");
      }
      // An expired token may still be redeemable (scanned, within the redeem window), or its
      // redeemer may be asking again for a lost answer (a claim, within the replay window after
      // a redemption at the window's last moment): only the object knows. Past any possible
      // window, answer without asking it.
      const replay = body.claim === undefined ? 0 : Math.ceil(REPLAY_WINDOW_MS / 1000);
      if (!check.ok && now >= check.expiresAt + limits.redeemWindow + replay) {
        throw new ApiError("expired", "this handoff has expired", { status: "expired" });
      }
      return (await redeemHandoff(c, check.id, body.claim ?? null, via)) as never;
    },
  );
}
