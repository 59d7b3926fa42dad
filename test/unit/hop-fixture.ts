import type { HopRow } from "../../src/core/hop-row";

/** A complete human poster `scanned` hop row, with `over` applied (unit tests' fixture). */
export function hopRowFixture(over: Partial<HopRow> = {}): HopRow {
  return {
    event_id: "e1",
    at: 1_767_225_600_000,
    day: "2026-01-01",
    kind: "poster",
    subject_id: "P",
    hop: "scanned",
    store_id: null,
    campaign_id: null,
    poster_id: "P",
    session_id: null,
    platform: "ios",
    in_app: null,
    country: null,
    colo: null,
    referrer_host: null,
    ip_hash: null,
    bot: 0,
    ms_since_created: null,
    detail: null,
    ...over,
  };
}
