/**
 * `POST /v1/events`: the app reports `app_open` or `converted` (with an optional value) against
 * the attribution session of a poster scan, or against a handoff link. No API key: the signed
 * session (or handoff token) is the capability. The poster is named by the session id itself,
 * so the store and campaign come from the poster, with no session table.
 *
 * Idempotent: the hop's event id is derived from (session or handoff, type, idempotency key),
 * and the hop log inserts with `INSERT OR IGNORE`, so a retried call counts once. Send a new
 * `idempotency_key` (or `Idempotency-Key` header) for each further conversion of one session.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { appEventId, checkSession, SESSION_TTL_SECONDS, type Session } from "../core/attribution";
import { classifyDevice } from "../core/device";
import { ApiError } from "../core/errors";
import { verifyToken } from "../core/token";
import { recordHop } from "../store/hops";
import { loadScanPoster } from "../store/poster-cache";
import { bridgeLinkOf } from "./resolve";
import { posterHopFields } from "./scan-poster";
import { errorResponses } from "./schemas";

const EventRequest = z
  .object({
    session: z.string().min(10).max(100).optional().openapi({
      description: "attribution.session from POST /v1/resolve of a poster link",
    }),
    url: z.string().min(1).max(2048).optional().openapi({
      description: "A handoff link, or a poster link carrying its session (`?s=`)",
    }),
    type: z.enum(["app_open", "converted"]),
    value: z.number().finite().min(0).max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
      .optional(),
    idempotency_key: z.string().min(1).max(100).optional().openapi({
      description: "Events of one session and type count once per key (default: once)",
    }),
  })
  .strict()
  .refine((b) => b.session !== undefined || b.url !== undefined, {
    message: "send the session (posters) or the url (handoffs)",
    path: ["session"],
  })
  .openapi("EventRequest");

const Accepted = z
  .object({
    accepted: z.literal(true),
    event_id: z.string().openapi({ description: "Same id for a retried event" }),
    kind: z.enum(["poster", "handoff"]),
    subject_id: z.string(),
    attribution: z
      .object({
        poster_id: z.string(),
        store_id: z.string().nullable(),
        campaign_id: z.string().nullable(),
        session: z.string(),
      })
      .nullable(),
  })
  .openapi("EventAccepted");

type Subject = { kind: "poster"; session: Session } | { kind: "handoff"; id: string };

async function posterSession(c: Context<AppEnv>, token: string, now: number): Promise<Subject> {
  const check = await checkSession(c.var.config.keyring, token, now);
  if (check.ok) return { kind: "poster", session: check.session };
  if (check.reason === "expired") {
    throw new ApiError(
      "expired",
      `the attribution session has expired (sessions last ${SESSION_TTL_SECONDS / 86_400} days after the scan)`,
    );
  }
  throw new ApiError("invalid_token", "session: not an attribution session of this bridge");
}

async function subjectOf(
  c: Context<AppEnv>,
  body: { session?: string; url?: string },
  now: number,
): Promise<Subject> {
  if (body.session !== undefined) return posterSession(c, body.session, now);
  const link = bridgeLinkOf(c, body.url!);
  if (link.kind === "p") {
    const token = link.url.searchParams.get("s") ?? link.url.searchParams.get("S");
    if (!token)
      throw new ApiError(
        "validation_failed",
        "url: a poster link needs its session (?s=); send attribution.session from /v1/resolve",
        { field: "url" },
      );
    return posterSession(c, token.slice(0, 100), now);
  }
  const check = await verifyToken(c.var.config.keyring, "h", link.code, now);
  // Conversions come after the (short) handoff expired: an authentic token is enough for a while.
  if (check.ok || (check.reason === "expired" && now < check.expiresAt + SESSION_TTL_SECONDS))
    return { kind: "handoff", id: check.id };
  if (check.reason === "expired")
    throw new ApiError("expired", "this handoff is too old to report events");
  throw new ApiError("invalid_token", "url: not a handoff link of this bridge");
}

/**
 * Register `POST /v1/events`.
 *
 * @example
 * registerEventRoutes(app);
 */
export function registerEventRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/events",
      tags: ["app"],
      summary: "Report app_open or converted for a poster session or a handoff",
      description:
        "No API key: the signed session or handoff link is the capability. Idempotent per (session or handoff, type, idempotency_key); the `Idempotency-Key` header works too.",
      request: {
        body: { content: { "application/json": { schema: EventRequest } }, required: true },
      },
      responses: {
        202: {
          description: "Recorded (or already recorded: same event_id)",
          content: { "application/json": { schema: Accepted } },
        },
        ...errorResponses(400, 404, 410, 413, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const now = Math.floor(Date.now() / 1000);
      const subject = await subjectOf(c, body, now);
      const key = body.idempotency_key ?? c.req.header("idempotency-key")?.slice(0, 100) ?? "";
      const info = classifyDevice(c.req.raw.headers);
      const detail: Record<string, unknown> = {};
      if (body.value !== undefined) detail.value = body.value;
      if (body.currency !== undefined) detail.currency = body.currency;
      if (key) detail.key = key;
      const scope = { env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw };
      const common = {
        hop: body.type,
        platform: info.platform,
        in_app: info.inAppBrowser,
        detail: Object.keys(detail).length ? detail : null,
      };
      if (subject.kind === "handoff") {
        const event_id = await appEventId(`handoff:${subject.id}`, body.type, key);
        recordHop(scope, { kind: "handoff", subject_id: subject.id, event_id, ...common });
        const out = {
          accepted: true as const,
          event_id,
          kind: "handoff" as const,
          subject_id: subject.id,
          attribution: null,
        };
        return c.json(out, 202);
      }
      const { session } = subject;
      const poster = await loadScanPoster(c.env, c.executionCtx, session.posterId);
      if (!poster) throw new ApiError("not_found", `no poster ${session.posterId}`);
      const event_id = await appEventId(`session:${session.id}`, body.type, key);
      recordHop(scope, {
        kind: "poster",
        ...posterHopFields(poster),
        session_id: session.id,
        event_id,
        ...common,
      });
      return c.json(
        {
          accepted: true as const,
          event_id,
          kind: "poster" as const,
          subject_id: poster.id,
          attribution: {
            poster_id: poster.id,
            store_id: poster.store_id,
            campaign_id: poster.campaign_id,
            session: session.token,
          },
        },
        202,
      );
    },
  );
}
