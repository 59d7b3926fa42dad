/**
 * What a route (or a pure decision such as core/scan.ts) says about a hop: the writer
 * (store/hops.ts) adds the time, the id and the request's facts to make a row of it.
 */
import type { HopName, SubjectKind } from "./hop-row";

/** A hop as described before it is recorded. */
export interface HopInput {
  kind: SubjectKind;
  subject_id: string;
  hop: HopName;
  store_id?: string | null;
  campaign_id?: string | null;
  poster_id?: string | null;
  session_id?: string | null;
  /** When the subject was created (unix ms), for `ms_since_created`. */
  created_at?: number | null;
  platform?: string | null;
  in_app?: string | null;
  bot?: boolean;
  detail?: Record<string, unknown> | null;
  /** A deterministic id (`ev_…`) makes the hop count once however often it is recorded. */
  event_id?: string;
  /**
   * When it happened (unix ms), when not now: a hop sent again by a later request keeps the
   * `at` of its first copy, so every copy is the same row.
   */
  at?: number;
  /** The facts of the request that first recorded it, for a copy sent by a later request. */
  request_facts?: RequestFacts;
  /**
   * The time zone of its `day` when not the deployment's: a poster's store's (a canonical IANA
   * name, from the poster cache). Not a column: only the day it gives is stored.
   */
  time_zone?: string | null;
}

/** What a hop row takes from its request (Cloudflare's `cf` and the Referer). */
export interface RequestFacts {
  country: string | null;
  colo: string | null;
  referrer_host: string | null;
}
