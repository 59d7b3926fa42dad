import { HOP_COLUMNS } from "../../core/hop-row";
import { MAX_EXPORT_OBJECTS, MAX_EXPORT_PAGE } from "../response-limits";
import type { FieldsWords, ReferenceWords } from "./types";

/** `from` and `to` of every day-range query (routes/stats.ts `RangeQuery`). */
export const RANGE_QUERY: FieldsWords = {
  from: {
    example: "2026-01-31",
    description:
      "First day, inclusive, as a hop's `day` is: in its poster's store's own `time_zone`, else in the reporting time zone (`QB_REPORTING_TIME_ZONE`, default UTC). Default: 29 days before `to`",
  },
  to: {
    example: "2026-01-31",
    description:
      "Last day, inclusive, as a hop's `day` is. Default: today in the store's zone when filtered to one store (`store_id`, or a store key) or one poster (`poster_id`), else in the reporting time zone",
  },
};

/** The funnel's query: `GET /v1/stats/funnel` and the dashboard's copy of it. */
export const FUNNEL_QUERY: FieldsWords = {
  ...RANGE_QUERY,
  group_by: {
    description:
      "Default `day`. `source` groups by kind (handoff, poster, login); `via` by how the app was reached (page, direct, scheme, install_referrer, …)",
  },
  limit: {
    description: "Most groups (largest first); `day` always lists every day. Default 100",
  },
  freshness: {
    description:
      "Default `include`. `none` answers `freshness: null` without its reads (a few D1 rows and an R2 list): a page making several funnel calls asks for it once",
  },
};

/** The counts of a funnel row and of its totals. */
const FUNNEL_COUNTS: FieldsWords = {
  unique_scanners: {
    description:
      "Distinct scanners (daily IP hash), from mergeable sketches: ±1.6 % standard error",
  },
  direct_app_opens: {
    description: "App opens straight from the QR (app installed: no landing page, no delay)",
  },
  median_scan_to_app_open_ms: {
    description:
      "Median delay from a landing-page scan to its app open (within ~5 %); direct opens are not in it",
  },
  converted_value: {
    description:
      "The counted conversions' `value`s summed per ISO 4217 currency (`XXX`: sent without one), exact to the hundredth up to 9,999,999,999,999.99; only currencies seen, `{}` when none (and in every row grouped by `via`: a conversion is not reached through a way in; `totals` has the values). Bots add nothing; conversions counted before this field existed are not in it (docs/stats.md)",
    example: { EUR: 1234.5, USD: 0.3 },
  },
  refused: {
    description: "People's scans of an inactive poster: not a stage; no bots (docs/stats.md)",
  },
};

export const statsReference: ReferenceWords = {
  operations: {
    "GET /v1/stats/funnel": {
      summary: "The funnel: scanned → landing → app_open → redeemed → converted",
      description:
        "Counts per group from the daily rollups (kept after raw hops are deleted), the rate between stages, unique scanners (by a daily IP hash, from mergeable sketches), app opens straight from the QR, what the conversions were worth per currency (`converted_value`), and the median time from a landing-page scan to its app open. Reads the rollups, and for `freshness` (how current they are) a constant few rows and one R2 list. Bots never count. A store key (minted with `store_id`) reads its store only: another `store_id` is `403` (`details.reason` `store_scope`), every other filter and grouping applies within the store, and `freshness` is null (as it is with `freshness=none`).",
      query: FUNNEL_QUERY,
    },
    "GET /v1/stats/quiet-posters": {
      summary: "Posters gone quiet: scanned in the baseline, not once in the last days",
      description:
        "The posters active now (status `active`, within `active_from`/`active_until`: a paused or revoked poster is quiet on purpose) with no counted scan in the last `days` days (today included, in the reporting time zone, or with `store_id` or a store key the store's own `time_zone`; a scan filed under a later day, in a zone ahead of it, counts too) and at least one in the `baseline` days before, with their store, campaign, baseline scans and last day scanned. A torn-down, covered or moved poster shows here. Counted scans are the funnel's `scanned`: bots and refused scans never keep a poster alive. Reads the daily poster rollups of those days (at most one row per poster and day, whatever the number of scans) and one poster, store and campaign row per poster listed. A store key lists its own store's posters only; another `store_id` is `403` (`details.reason` `store_scope`).",
      query: {
        days: {
          description: "Quiet days, today included (default 7, at most 90)",
        },
        baseline: {
          description:
            "Days before the quiet ones that must hold a scan (default 28, at most 365; `days` + `baseline` at most 366)",
        },
        store_id: {
          description: "Only this store's posters (scans counted under it)",
        },
        campaign_id: {
          description: "Only this campaign's posters (scans counted under it)",
        },
        sort: {
          description:
            "`newest` (default): the most recently gone quiet first; `loss`: the most baseline scans first",
        },
        limit: {
          description: "Most posters listed (default 100, at most 500); `count` has them all",
        },
      },
    },
    "GET /v1/hops": {
      summary: "Export the raw hop log (NDJSON or CSV), paged with a cursor",
      description: `Rows from the R2 archive in archive order (by UTC hour, then the batch that wrote them): the hops whose \`day\` is one of \`from\`–\`to\`, as the funnel counts them (each in its poster's store's own \`time_zone\`, else the reporting time zone). Columns: ${HOP_COLUMNS.join(", ")}. A page is the next \`limit\` archived rows; filters (\`kind\`, \`hop\`, \`store_id\`, \`campaign_id\`, \`poster_id\`, \`subject_id\`) apply within it, so a filtered page may hold fewer rows, even none; a page also ends after ${MAX_EXPORT_OBJECTS} archive objects (each an R2 read), so on a quiet day, whose objects hold a row or two, it holds fewer rows too. \`X-Next-Cursor\` carries the cursor of the next page and is absent on the last page. CSV is RFC 4180 with formula-like text prefixed by \`'\`. A store key exports its store's hops only (none without a store: handoffs, logins); another \`store_id\` is \`403\` (\`details.reason\` \`store_scope\`).`,
      query: {
        ...RANGE_QUERY,
        subject_id: {
          description: "A handoff, login or poster id",
        },
        format: {
          description: "Default ndjson",
        },
        cursor: {
          description:
            "`X-Next-Cursor` of the previous page, with the same `from` and `to` (a cursor outside those days is a 400)",
        },
        limit: {
          description: `Archived rows per page before filters (default 1000, at most ${MAX_EXPORT_PAGE})`,
        },
      },
      responses: {
        "200": {
          headers: {
            "x-next-cursor": {
              description: "Absent on the last page",
            },
          },
        },
      },
    },
  },
  schemas: {
    Funnel: {
      fields: {
        from: {
          example: "2026-01-31",
        },
        to: {
          example: "2026-01-31",
        },
        time_zone: {
          description:
            "The time zone (IANA) of `from`, `to` and the default range: the store's own `time_zone` when filtered to one store (`store_id`, or a store key), or the poster's store's when filtered to one poster (`poster_id`), else the reporting time zone (`QB_REPORTING_TIME_ZONE`)",
          example: "Asia/Tokyo",
        },
        time_zones: {
          description:
            "Every zone the rows' days are in (a poster's hops count on its store's local days): that store's (or the poster's store's) current zone alone when filtered to one store or poster (rows recorded before a change of its zone keep that zone's days); else the deployment's first, then each zone a store carries or has carried",
          example: ["UTC", "America/Los_Angeles", "Asia/Tokyo"],
        },
        rows: {
          items: { fields: FUNNEL_COUNTS },
        },
        totals: { fields: FUNNEL_COUNTS },
        median_sample: {
          fields: {
            pairs: {
              description: "Page scan → app open delays in the median",
            },
            truncated: {
              description: "Always false: every delay is in the rollups",
            },
          },
        },
      },
    },
    QuietPosters: {
      fields: {
        time_zone: {
          description:
            "The time zone whose days these are: the store's own `time_zone` when filtered to one store (`store_id`, or a store key), else the reporting time zone",
          example: "Europe/Paris",
        },
        today: {
          description: "Today (YYYY-MM-DD) in `time_zone`: the quiet window's last day",
          example: "2026-12-07",
        },
        quiet_from: { description: "First quiet day (YYYY-MM-DD)", example: "2026-12-01" },
        baseline_from: { description: "First day of the baseline", example: "2026-11-03" },
        baseline_to: {
          description: "Last day of the baseline (the day before `quiet_from`)",
          example: "2026-11-30",
        },
        count: { description: "How many posters are quiet in all" },
        more: { description: "`count` is more than the posters listed (raise `limit`)" },
        posters: {
          items: {
            fields: {
              baseline_scans: { description: "Counted scans in the baseline" },
              last_scanned_day: {
                description: "The last day (YYYY-MM-DD, a hop's `day`) with a counted scan",
                example: "2026-11-29",
              },
              quiet_days: { description: "Days from `last_scanned_day` to today" },
            },
          },
        },
      },
    },
    FunnelFreshness: {
      description:
        "How current the funnel is: the whole deployment's pipeline, whatever the filters. Hops reach the rollups through a queue (and, when a queue refuses them, an R2 spool the cron counts each minute), so the last minutes may not be counted yet. Cheap: a constant number of reads, however much data (docs/stats.md). null for a store key (minted with `store_id`): every figure of it is the whole deployment's traffic, so another store's",
      fields: {
        counted_through: {
          description:
            "Unix ms: the newest time of a request whose hops are counted, among the newest 8 counted batches (the writer's clock). Requests made before it may still wait (a queue backlog or retry, `pending`); it does not promise every earlier hop is counted. null when nothing was counted in the last day",
          example: 1767225540000,
        },
        last_counted_at: {
          description:
            "Unix ms: when the newest batch was counted; null when none was in the last day. Far after `counted_through`: the consumer is working through a backlog",
          example: 1767225600000,
        },
        pending: {
          fields: {
            spool: {
              description:
                "Requests the queue refused, waiting in R2 for the cron (`count` stops at 1000, `more` when there are more); `oldest_at` (unix ms) the oldest one's time. null when unknown (no `HOP_ARCHIVE`, or R2 did not answer)",
            },
            dead_letters: {
              description:
                "Whole hop messages whose retries ran out, waiting in the dead letters for a replay (`POST /v1/dead-letters/replay`); `count` stops at 100, `more` when there are more",
            },
          },
        },
      },
    },
    FunnelRates: {
      description:
        "Each stage ÷ the earlier stage the same kind goes through, so handoffs and posters never divide each other; 4 decimals; null when there is nothing to divide by",
      fields: {
        landing: {
          description: "landings ÷ scans",
        },
        app_open: {
          description: "poster app opens ÷ poster scans",
        },
        redeemed: {
          description: "handoff (and login) redemptions ÷ their scans; null with posters only",
        },
        converted: {
          description:
            "conversions ÷ poster app opens and handoff redemptions (each kind's own previous stage)",
        },
      },
    },
  },
};
