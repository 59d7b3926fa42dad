/**
 * The bridge's fixed limits and retry policies, in one place: what a request, a file or a retry
 * may take. Where wrangler.toml repeats one of them (a queue's `max_retries`, a rate limit), a
 * test ties the two together (test/unit/limits.test.ts). The options a deployment sets are in
 * config.ts.
 */

/** The bridge's limits (the README's "Limits" section lists them). */
export const LIMITS = {
  /** A handoff's lifetime (`ttl`, `QB_HANDOFF_TTL`), seconds. */
  handoffTtlSeconds: { min: 15, max: 900, default: 120 },
  /** How long a scanned handoff stays redeemable (`QB_REDEEM_WINDOW`), seconds. */
  redeemWindowSeconds: { min: 30, max: 86_400, default: 900 },
  /** A handoff's payload, as JSON. */
  handoffPayloadBytes: 4096,
  /** Longest long-poll (`?wait=`), seconds. */
  longPollSeconds: 30,
  /** Largest JSON body (default of `maxBodyBytes`); batch endpoints take at least `batchBodyBytes`. */
  bodyBytes: 64 * 1024,
  batchBodyBytes: 2 * 1024 * 1024,
  /** Posters in one `POST /v1/posters/batch`. */
  posterBatch: 1000,
  /** Longest day range of a funnel, an export or the dashboard; the default range. */
  maxRangeDays: 366,
  defaultRangeDays: 30,
  /** Posters whose cache entries a store rename drops at once (the rest refresh within the TTL). */
  renameInvalidatePosters: 500,
  /**
   * One print file's texts: distinct characters, and glyph blocks (256 code points of one face,
   * each a fetch of the PRINT_FONTS binding). A selection's names past either are a 400 (the SVG
   * falls back to system fonts): held whole, one file's blocks reached 64 MB, half an isolate.
   */
  printCharacters: 20_000,
  printFontBlocks: 800,
  /** How long a rolled key keeps working (`expires_in` of `POST /v1/keys/:id/roll`), seconds. */
  keyRollGraceSeconds: { min: 0, max: 7 * 86_400, default: 86_400 },
  /**
   * How long a webhook secret replaced by `POST /v1/webhooks/:id/rotate-secret` keeps signing
   * beside the new one (`expires_in`), seconds: a day unless told, as Stripe's "roll secret".
   */
  webhookSecretOverlapSeconds: { min: 0, max: 7 * 86_400, default: 86_400 },
} as const;

/**
 * Retry policies: delays double from `base` up to `cap` seconds. A webhook delivery is tried at
 * most `attempts` times, so its queue's `max_retries` is `attempts - 1`; a failed hop batch is
 * retried `maxRetries` times (its queue's `max_retries`), then goes to the dead letters.
 */
export const RETRY = {
  webhook: { attempts: 9, backoff: { base: 30, cap: 3600 } },
  hopBatch: { maxRetries: 5, backoff: { base: 5, cap: 300 } },
} as const;

/**
 * The `[[ratelimits]]` of wrangler.toml: calls per client (publishable key + IP, client IP,
 * failures per client IP, QR login scans and, apart, keyless login denials per client IP, login
 * exchanges per key + IP) per `periodSeconds`, which is also the 429's `Retry-After`.
 */
export const RATE_LIMITS = {
  publishable: 60,
  client: 300,
  failures: 30,
  login: 60,
  loginExchange: 600,
  periodSeconds: 60,
} as const;
