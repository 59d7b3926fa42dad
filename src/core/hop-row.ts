/**
 * The shape of one hop, as stored in the `hops` table (docs/storage.md): pure data, shared by
 * the writer (store/hops.ts, store/hop-ingest.ts), the export and the webhook events.
 */

export const HOP_NAMES = [
  "created",
  "rendered",
  "scanned",
  "previewed",
  "landing",
  "app_open",
  "redeemed",
  "approved",
  "denied",
  "cancelled",
  "expired",
  "converted",
  "rejected",
  "exchanged",
] as const;
export type HopName = (typeof HOP_NAMES)[number];
export type SubjectKind = "handoff" | "poster" | "login";

/** A row of the `hops` table (see docs/storage.md). */
export interface HopRow {
  event_id: string;
  at: number;
  day: string;
  kind: SubjectKind;
  subject_id: string;
  hop: HopName;
  store_id: string | null;
  campaign_id: string | null;
  poster_id: string | null;
  session_id: string | null;
  platform: string | null;
  in_app: string | null;
  country: string | null;
  colo: string | null;
  referrer_host: string | null;
  ip_hash: string | null;
  bot: 0 | 1;
  ms_since_created: number | null;
  detail: string | null;
}

/** The columns of a hop row, in table order (every column of `hops`). */
export const HOP_COLUMNS = [
  "event_id",
  "at",
  "day",
  "kind",
  "subject_id",
  "hop",
  "store_id",
  "campaign_id",
  "poster_id",
  "session_id",
  "platform",
  "in_app",
  "country",
  "colo",
  "referrer_host",
  "ip_hash",
  "bot",
  "ms_since_created",
  "detail",
] as const satisfies readonly (keyof HopRow)[];
