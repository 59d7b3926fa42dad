/**
 * Which hops become webhook events, and the JSON body a receiver gets. Pure: the hop writer
 * derives events from the hop stream, so feature code never has to emit them itself.
 */
import type { HopRow } from "./hop-row";

/** Every event type an endpoint may subscribe to (or `"*"` for all). */
export const WEBHOOK_EVENT_TYPES = [
  "handoff.scanned",
  "handoff.redeemed",
  "handoff.approved",
  "handoff.denied",
  "handoff.cancelled",
  "handoff.expired",
  "login.scanned",
  "login.approved",
  "login.denied",
  "login.exchanged",
  "login.expired",
  "poster.scanned",
  "app.opened",
  "conversion",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const SUBJECT_HOPS = new Set(["scanned", "redeemed", "approved", "denied", "cancelled", "expired"]);
/** A QR login's events: the steps a company's backend may act on (never `created`/`rendered`). */
const LOGIN_HOPS = new Set(["scanned", "approved", "denied", "exchanged", "expired"]);

/** The hop fields an event is made of. */
export type EventSource = Pick<
  HopRow,
  | "event_id"
  | "at"
  | "kind"
  | "subject_id"
  | "hop"
  | "store_id"
  | "campaign_id"
  | "poster_id"
  | "session_id"
  | "platform"
  | "in_app"
  | "country"
  | "bot"
  | "ms_since_created"
  | "detail"
>;

/**
 * The event type of a hop, or null when the hop is not an event (bots never are).
 *
 * @example
 * webhookEventType("handoff", "scanned", 0) // "handoff.scanned"
 * webhookEventType("poster", "converted", 0) // "conversion"
 * webhookEventType("login", "exchanged", 0) // "login.exchanged"
 * webhookEventType("poster", "scanned", 1) // null
 */
export function webhookEventType(kind: string, hop: string, bot: number): WebhookEventType | null {
  if (bot) return null;
  if (hop === "app_open") return "app.opened";
  if (hop === "converted") return "conversion";
  if (kind === "poster") return hop === "scanned" ? "poster.scanned" : null;
  if (kind === "handoff" && SUBJECT_HOPS.has(hop)) return `handoff.${hop}` as WebhookEventType;
  if (kind === "login" && LOGIN_HOPS.has(hop)) return `login.${hop}` as WebhookEventType;
  return null;
}

/**
 * The JSON body of an event: `{id, type, created, data}`. `id` is the hop's event id (stable
 * across retries, so receivers can de-duplicate); `created` is the hop's time in unix ms, like
 * every time in the API's JSON; the IP hash is never included.
 *
 * @example
 * const body = webhookPayload(row, "handoff.scanned");
 * // {"id":"k3…","type":"handoff.scanned","created":1767225600123,"data":{"kind":"handoff",…}}
 */
export function webhookPayload(row: EventSource, type: WebhookEventType): string {
  let detail: unknown = null;
  if (row.detail) {
    try {
      detail = JSON.parse(row.detail);
    } catch {
      detail = null;
    }
  }
  return JSON.stringify({
    id: row.event_id,
    type,
    created: row.at,
    data: {
      kind: row.kind,
      subject_id: row.subject_id,
      hop: row.hop,
      at: row.at,
      store_id: row.store_id,
      campaign_id: row.campaign_id,
      poster_id: row.poster_id,
      session_id: row.session_id,
      platform: row.platform,
      in_app: row.in_app,
      country: row.country,
      ms_since_created: row.ms_since_created,
      detail,
    },
  });
}

/**
 * Exponential backoff in seconds for the `attempts`-th failure: `base · 2^(attempts−1)`, capped.
 *
 * @example
 * backoffSeconds(1, 30, 3600) // 30
 * backoffSeconds(4, 30, 3600) // 240
 * backoffSeconds(12, 30, 3600) // 3600
 */
export function backoffSeconds(attempts: number, base: number, cap: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(cap, base * 2 ** Math.min(n - 1, 30));
}
