import type { HandoffObject } from "./store/handoff-object";
import type { LoginObject } from "./store/login-object";

/**
 * The bindings and variables the Worker sees. Binding names are fixed (see wrangler.toml);
 * every `QB_*` variable is optional and documented in the README's configuration table.
 */
export interface Env {
  DB: D1Database;
  CACHE: KVNamespace;
  HANDOFF: DurableObjectNamespace<HandoffObject>;
  /** One Durable Object per QR login. */
  LOGIN: DurableObjectNamespace<LoginObject>;
  /** Hop events queue; without it hops are written directly in `waitUntil`. */
  HOPS?: Queue<unknown>;
  /** More hop queue shards (`QB_HOP_QUEUE_SHARDS`): `HOPS_2` … `HOPS_N`. */
  [shard: `HOPS_${number}`]: Queue<unknown> | undefined;
  /** Raw hop history (gzip NDJSON by day and hour) and the hop spool; without it no raw hops are kept. */
  HOP_ARCHIVE?: R2Bucket;
  /** Centre logos of QR styles (`logos/<id>.png`); without it no logo can be uploaded or drawn. */
  LOGOS?: R2Bucket;
  /**
   * The print kit's fonts: the `[assets]` binding over build/assets (glyph packs built by
   * scripts/build-fonts.mjs). Without it PDFs answer 503 and SVGs fall back to system fonts.
   */
  PRINT_FONTS?: Fetcher;
  /** Webhook deliveries queue. */
  WEBHOOKS?: Queue<unknown>;
  /** Rate limiter for publishable keys (the `[[ratelimits]]` binding). */
  PUBLIC_LIMITER?: RateLimit;
  /** Calls of the keyless endpoints (`/v1/resolve`, `/v1/events`, `/c`) per client IP. */
  CLIENT_LIMITER?: RateLimit;
  /** Forged, mistyped or expired codes and tokens per client IP (stricter). */
  FAILURE_LIMITER?: RateLimit;
  /** Rate limiter of QR login scans and keyless denials, per client IP. */
  LOGIN_LIMITER?: RateLimit;
  /** Rate limiter of QR login ticket exchanges, per API key and client IP. */
  LOGIN_EXCHANGE_LIMITER?: RateLimit;

  QB_ENV?: string;
  QB_PUBLIC_URL?: string;
  QB_ADMIN_KEY?: string;
  QB_SIGNING_KEYS?: string;
  QB_IP_SALT?: string;
  QB_HANDOFF_TTL?: string;
  QB_REDEEM_WINDOW?: string;
  QB_HANDOFF_EVENTS_BY_LINK?: string;
  QB_POSTER_CLAIMED_RESOLVES?: string;
  QB_HOP_RETENTION_DAYS?: string;
  QB_AUDIT_RETENTION_DAYS?: string;
  QB_REPORTING_TIME_ZONE?: string;
  /** "off" disables hop logging (benchmarks). */
  QB_HOPS?: string;
  QB_HOP_QUEUE_SHARDS?: string;
  QB_WEBHOOK_BREAKER_HOURS?: string;
  QB_WEBHOOK_BREAKER_FAILURES?: string;
  QB_APP_NAME?: string;
  QB_APP_SCHEME?: string;
  QB_IOS_APP_IDS?: string;
  QB_APP_CLIP_IDS?: string;
  QB_LOGIN_APP_LINKS?: string;
  QB_APP_STORE_URL?: string;
  QB_ANDROID_PACKAGE?: string;
  QB_ANDROID_SHA256?: string;
  QB_PLAY_STORE_URL?: string;
  QB_WEB_FALLBACK_URL?: string;
  QB_DEMO?: string;
}
