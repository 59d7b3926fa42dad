/**
 * `POST /v1/events`: `app_open` or `converted` (with an optional value) against the attribution
 * session of a poster scan, or against a redeemed handoff. No API key needed: a signed token is
 * the capability, sent as `session` either way — a poster's attribution session, or a handoff's
 * events credential (core/event-credential.ts), which only the app that redeemed the handoff
 * was answered. A handoff's link (or its install referrer) is no such capability: it is the QR on
 * the PC's screen, seen by anyone near it, and events count once (the first report wins), so
 * alone it is refused (`403`) unless a secret key sends it or `QB_HANDOFF_EVENTS_BY_LINK` is
 * set. The poster is named by the session id itself, so the store and campaign come from the
 * poster, with no session table.
 *
 * What counts, and as whose:
 * - every event is attributed to the platform and in-app browser of the **scan** (the session id
 *   carries it; a handoff's object keeps it), never to the client reporting it;
 * - **without a secret key** an event counts once per session (or handoff) and type: the hop's
 *   event id is derived from (subject, type) and the hop log inserts with `INSERT OR IGNORE`, so
 *   fresh idempotency keys inflate nothing. A caller classified as a bot (curl, a crawler), or a
 *   session a bot started, gets its `202` but counts as no person: a `previewed` hop (`bot = 1`);
 * - **with a secret key holding `events:write`** (a company's server reporting orders), each
 *   `idempotency_key` is an event of its own and the caller is not bot-classified.
 *
 * Handoff events are taken for 24 hours (`EVENT_WINDOW_MS`, core/handoff.ts) after the app
 * redeemed the handoff.
 *
 * The `202` is an event counted: it is answered only once the hop log holds the event's row (the
 * queue, the R2 spool or a direct write; store/hops.ts `deliverHopsNow`), not sent afterwards in
 * `waitUntil`, where a Worker that dies, or a log that refuses, would lose a conversion the caller
 * was told was accepted. When no way takes it: `503 unavailable` with `Retry-After`, and the
 * caller sends it again — safe, since its event id is derived, not drawn, so it counts once.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { classifyAppCaller } from "../core/app-caller";
import { appEventId, sessionDevice } from "../core/attribution";
import { hasCents } from "../core/conversion-value";
import { ApiError } from "../core/errors";
import { posterHopFields } from "../core/scan";
import { handoffEventFacts } from "../store/handoff-events";
import { deliverHopsNow, type HopInput, type HopScope } from "../store/hops";
import { loadScanPoster } from "../store/poster-cache";
import { access } from "./access";
import { limitCalls } from "./client-limits";
import { subjectOf } from "./event-subject";
import { hopScope } from "./hop-scope";
import { authenticateOptional } from "./middleware";
import { ErrorBody, errorResponses } from "./schemas";

/**
 * Largest `value` of an event; values have at most 2 decimals (an amount such as 12.34). High
 * enough for an order in a currency of large numbers (15,000,000 IDR is about 950 US dollars);
 * a funnel row's sum stays exact for 9,999 such maximal values (core/conversion-value.ts: up to
 * 10^15 − 1 hundredths).
 */
export const MAX_EVENT_VALUE = 1_000_000_000;

/** Seconds a caller is asked to wait before sending an event again that no way could hold. */
export const EVENT_RETRY_AFTER_SECONDS = 5;

/**
 * Hold the event's hop before answering for it: the `503` the caller retries when no way took it.
 *
 * @example
 * await holdEvent(hopScope(c), { kind: "poster", subject_id: id, hop: "converted", event_id });
 */
async function holdEvent(scope: HopScope, input: HopInput): Promise<void> {
  if (await deliverHopsNow(scope, [input])) return;
  throw new ApiError(
    "unavailable",
    `the event could not be recorded now; send it again in ${EVENT_RETRY_AFTER_SECONDS} s (it counts once)`,
    { retry_after: EVENT_RETRY_AFTER_SECONDS },
  );
}

const EventRequest = z
  .object({
    session: z.string().min(10).max(100).optional(),
    url: z.string().min(1).max(2048).optional(),
    referrer: z.string().min(1).max(1024).optional(),
    type: z.enum(["app_open", "converted"]),
    value: z
      .number()
      .finite()
      .min(0, "must be between 0 and 1,000,000,000")
      .max(MAX_EVENT_VALUE, "must be between 0 and 1,000,000,000")
      .refine(hasCents, "at most 2 decimals")
      .optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
      .optional(),
    idempotency_key: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => b.session !== undefined || b.url !== undefined || b.referrer !== undefined, {
    message: "send the session from POST /v1/resolve",
    path: ["session"],
  })
  .openapi("EventRequest");

const Accepted = z
  .object({
    accepted: z.literal(true),
    event_id: z.string(),
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
      operationId: "reportEvent",
      security: access.optional("events:write"),
      tags: ["app"],
      middleware: [limitCalls("json", "events:write")] as const,
      request: {
        body: { content: { "application/json": { schema: EventRequest } }, required: true },
      },
      responses: {
        202: {
          description: "Held by the hop log, to be counted once (or already: same event_id)",
          content: { "application/json": { schema: Accepted } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429),
        503: {
          description:
            "Not known to be held: no way of the hop log answered that it holds the event (a send whose answer was lost may still count it). Send the same event again after `Retry-After` seconds (also `details.retry_after`); it counts once.",
          headers: z.object({ "Retry-After": z.string() }),
          content: { "application/json": { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const server = (await authenticateOptional(c, "events:write")) !== null;
      const nowMs = Date.now();
      const byLink = server || c.var.config.handoff.eventsByLink;
      const subject = await subjectOf(c, body, Math.floor(nowMs / 1000), byLink);
      const key = body.idempotency_key ?? c.req.header("idempotency-key")?.slice(0, 100) ?? "";
      const caller = classifyAppCaller(c.req.raw.headers);
      const scope = hopScope(c);
      const detail: Record<string, unknown> = {};
      if (body.value !== undefined) detail.value = body.value;
      if (body.currency !== undefined) detail.currency = body.currency;
      if (server) detail.reporter = "server";
      if (server && key) detail.key = key;

      if (subject.kind === "handoff") {
        const facts = await handoffEventFacts(c.env, subject.id, nowMs);
        const bot = !server && !caller.isHuman;
        const name = `handoff:${subject.id}`;
        const event_id = await appEventId(
          name,
          bot ? `previewed:${body.type}` : body.type,
          server ? key : "",
        );
        if (body.type === "app_open") detail.via = facts.via;
        await holdEvent(scope, {
          kind: "handoff",
          subject_id: subject.id,
          event_id,
          created_at: facts.created_at,
          platform: facts.platform,
          in_app: facts.in_app,
          ...(bot
            ? { hop: "previewed", bot: true, detail: { bot: caller.bot, event: body.type } }
            : { hop: body.type, detail: Object.keys(detail).length ? detail : null }),
        });
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
      const device = sessionDevice(session, caller);
      const bot = device.bot || (!server && !caller.isHuman);
      const name = `session:${session.id}`;
      const event_id = await appEventId(
        name,
        bot ? `previewed:${body.type}` : body.type,
        server ? key : "",
      );
      if (body.type === "app_open") detail.via = device.via;
      await holdEvent(scope, {
        kind: "poster",
        ...posterHopFields(poster),
        // A later hop of the session: its delay counts from the scan.
        created_at: session.scannedAt,
        session_id: session.id,
        event_id,
        platform: device.platform,
        in_app: device.in_app,
        ...(bot
          ? {
              hop: "previewed",
              bot: true,
              detail: { bot: caller.bot ?? "session", event: body.type },
            }
          : { hop: body.type, detail: Object.keys(detail).length ? detail : null }),
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
