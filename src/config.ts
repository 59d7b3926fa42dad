/**
 * The options a deployment sets, and their checks. `createBridge(options)`
 * takes {@link BridgeOptions} and {@link resolveConfig} applies the defaults; the default Worker
 * reads the options from `QB_*` variables with `optionsFromEnv` (env-options.ts). The fixed
 * limits and retry policies are in limits.ts.
 */

import { type AppsOptions, checkAppsOptions } from "./apps-options";
import { httpOrigin } from "./core/origin";
import { timeZoneName } from "./core/time-zone";
import { type Keyring, parseKeyring } from "./core/token";
import { type BreakerRule, DEFAULT_BREAKER } from "./core/webhook-breaker";
import { LIMITS } from "./limits";

export type DeployEnv = "development" | "test" | "production";

/**
 * What `createBridge` is configured with: every field optional, defaults in the README's
 * configuration table. `optionsFromEnv` reads them from the `QB_*` variables.
 */
export interface BridgeOptions {
  /** "production" refuses to run with the example keys. Default "development". */
  env?: DeployEnv;
  /** Public origin (and path, when mounted) of the bridge, e.g. "https://qr.example.com". Default: the request's origin. */
  publicUrl?: string;
  /** Path the bridge is served under inside a larger Worker, e.g. "/qr". Default "". */
  basePath?: string;
  /** Admin key that mints API keys (`QB_ADMIN_KEY`). */
  adminKey?: string;
  /** Signing keys, "KID:secret,KID:secret" (`QB_SIGNING_KEYS`); the last one signs. */
  signingKeys?: string;
  /**
   * Salt of a QR login's network prefix, its "same network" hint (`QB_IP_SALT`; required in
   * production). Scans' IP hashes do not use it: they take a random salt per day, kept in D1.
   */
  ipSalt?: string;
  handoff?: {
    /** Default lifetime of a handoff QR, seconds. Default 120. */
    defaultTtl?: number;
    /** How long a scanned handoff stays redeemable (time to install the app), seconds. Default 900. */
    redeemWindow?: number;
    /**
     * Take a handoff's keyless events on its link or install referrer alone
     * (`QB_HANDOFF_EVENTS_BY_LINK`), for apps that do not send the handoff's events credential
     * yet. Anyone who saw the QR can then report them first. Default false.
     */
    eventsByLink?: boolean;
  };
  /**
   * Count a bare poster link resolved again with the same claim (a lost answer's retry) as one
   * scan (`QB_POSTER_CLAIMED_RESOLVES`): one more D1 row per such scan. Default false.
   */
  posters?: { claimedResolves?: boolean };
  /** Days raw hops are kept before the cron deletes them (rollups stay). Default 90. */
  hopRetentionDays?: number;
  /** Days audit-log rows (who changed what) are kept before the cron deletes them. Default 400. */
  auditRetentionDays?: number;
  /**
   * The IANA time zone whose days the funnel counts (`QB_REPORTING_TIME_ZONE`), e.g.
   * "Asia/Tokyo": a hop's day, the funnel's and the export's `from`/`to`, the unique scanners'
   * day. A change applies to hops recorded from then on. Default "UTC".
   */
  reportingTimeZone?: string;
  /** Log hops (`QB_HOPS`; "off" disables the writer, e.g. to benchmark without it). Default true. */
  hops?: boolean;
  /** Hop queue shards (`QB_HOP_QUEUE_SHARDS`): bindings `HOPS`, `HOPS_2` … `HOPS_N`. Default 1. */
  hopQueueShards?: number;
  apps?: AppsOptions;
  /** Serve the demo PC page and demo poster at `/`. Default: true outside production. */
  demo?: boolean;
  /** Largest JSON body accepted, bytes. Default 64 KiB (batch endpoints: 2 MiB). */
  maxBodyBytes?: number;
  /**
   * Pause a webhook endpoint whose receiver keeps failing (docs/webhooks.md): after `hours`
   * (`QB_WEBHOOK_BREAKER_HOURS`, default 6) with no successful attempt and at least `failures`
   * failed ones (`QB_WEBHOOK_BREAKER_FAILURES`, default 50). `false` (or the variable "off"):
   * never.
   */
  webhookBreaker?: { hours?: number; failures?: number } | false;
}

/** Options after defaults, with keys imported. What routes read as `c.var.config`. */
export interface BridgeConfig {
  env: DeployEnv;
  publicUrl: string | null;
  /** The origin of `publicUrl` (scheme, host, port), computed once; null without one. */
  publicOrigin: string | null;
  basePath: string;
  adminKey: string;
  keyring: Keyring;
  ipSalt: string;
  handoff: {
    defaultTtl: number;
    minTtl: number;
    maxTtl: number;
    redeemWindow: number;
    maxPayloadBytes: number;
    eventsByLink: boolean;
  };
  posters: { claimedResolves: boolean };
  hopRetentionDays: number;
  auditRetentionDays: number;
  /** The reporting time zone, its canonical IANA name ("UTC" by default). */
  reportingTimeZone: string;
  hops: boolean;
  hopQueueShards: number;
  apps: AppsOptions;
  demo: boolean;
  maxBodyBytes: number;
  batchMaxBodyBytes: number;
  /** When the webhook circuit breaker pauses an endpoint; null: never. */
  webhookBreaker: BreakerRule | null;
  /** What is configured but looks wrong, one sentence each (logged, and listed by `/healthz`); never a secret. */
  warnings: string[];
}

/** The example keys shipped in `.dev.vars.example`; production refuses them. */
export const EXAMPLE_ADMIN_KEY = "qb_admin_dev_only_do_not_use_in_production";
export const EXAMPLE_SIGNING_KEYS = "D1:dev-only-signing-key-do-not-use-in-production";

/** A configuration the Worker must not serve with; the message says what to fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function bounded(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max} (got ${value})`);
  }
  return value;
}

/**
 * Apply defaults, check the options and import the signing keys.
 * Throws {@link ConfigError} with a clear message when the bridge must not serve; what may be
 * served but looks wrong ends up in `warnings`.
 *
 * @example
 * const config = await resolveConfig({ adminKey, signingKeys: "K1:0123456789abcdef0123" });
 */
export async function resolveConfig(options: BridgeOptions): Promise<BridgeConfig> {
  const env = options.env ?? "development";
  if (!["development", "test", "production"].includes(env)) {
    throw new ConfigError(`QB_ENV must be development, test or production (got "${env}")`);
  }
  if (!options.adminKey)
    throw new ConfigError(
      "QB_ADMIN_KEY is not set: set it as a secret (wrangler secret put QB_ADMIN_KEY), or for `wrangler dev` in .dev.vars (see .dev.vars.example)",
    );
  if (!options.signingKeys)
    throw new ConfigError(
      "QB_SIGNING_KEYS is not set: set it as a secret (KID:secret[,KID:secret…]), or for `wrangler dev` in .dev.vars",
    );
  if (env === "production") {
    if (
      options.adminKey === EXAMPLE_ADMIN_KEY ||
      options.signingKeys.includes(EXAMPLE_SIGNING_KEYS.split(":")[1]!)
    ) {
      throw new ConfigError(
        "QB_ENV=production with the example keys from .dev.vars.example: set real secrets with `wrangler secret put QB_ADMIN_KEY` and `wrangler secret put QB_SIGNING_KEYS`",
      );
    }
    if (!options.ipSalt)
      throw new ConfigError("QB_IP_SALT is not set: production needs a secret salt for IP hashes");
  }
  if (options.adminKey.length < 24)
    throw new ConfigError("QB_ADMIN_KEY must be at least 24 characters");
  let keyring: Keyring;
  try {
    keyring = await parseKeyring(options.signingKeys);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const publicUrl = options.publicUrl ? options.publicUrl.replace(/\/+$/, "") : null;
  // Its origin goes into the landing page's CSP: nothing but scheme, host and port may pass.
  // Its path prefixes every link and the association files' patterns, where "*" and "?" are
  // wildcards: plain path characters only, no query or fragment.
  if (
    publicUrl &&
    (!/^https?:\/\/[^/?#]+(?:\/[\w.~/-]*)?$/i.test(publicUrl) || !httpOrigin(publicUrl))
  )
    throw new ConfigError(
      "QB_PUBLIC_URL must be an http(s) URL with a plain host name (and path: letters, digits, - . _ ~ /)",
    );
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  if (basePath && !/^\/[a-z0-9/_-]+$/.test(basePath))
    throw new ConfigError("basePath must look like /qr (lowercase)");
  const apps = checkAppsOptions(options.apps ?? {}, env);
  if (apps.errors.length > 0) throw new ConfigError(apps.errors.join("; "));
  const warnings = apps.warnings;
  if (env === "production" && publicUrl?.toLowerCase().startsWith("http:"))
    warnings.push("QB_PUBLIC_URL is plain http: links and QR codes will not be https");
  const reportingTimeZone = timeZoneName(options.reportingTimeZone ?? "UTC");
  if (!reportingTimeZone)
    throw new ConfigError(
      `QB_REPORTING_TIME_ZONE must be an IANA time zone such as UTC or Asia/Tokyo (got "${options.reportingTimeZone}")`,
    );
  const ttl = LIMITS.handoffTtlSeconds;
  const window = LIMITS.redeemWindowSeconds;
  return {
    env,
    publicUrl,
    publicOrigin: publicUrl ? httpOrigin(publicUrl) : null,
    basePath,
    adminKey: options.adminKey,
    keyring,
    ipSalt: options.ipSalt ?? "qrbridge-dev-salt",
    handoff: {
      defaultTtl: bounded(
        options.handoff?.defaultTtl,
        ttl.default,
        ttl.min,
        ttl.max,
        "QB_HANDOFF_TTL",
      ),
      minTtl: ttl.min,
      maxTtl: ttl.max,
      redeemWindow: bounded(
        options.handoff?.redeemWindow,
        window.default,
        window.min,
        window.max,
        "QB_REDEEM_WINDOW",
      ),
      maxPayloadBytes: LIMITS.handoffPayloadBytes,
      eventsByLink: options.handoff?.eventsByLink ?? false,
    },
    posters: { claimedResolves: options.posters?.claimedResolves ?? false },
    hopRetentionDays: bounded(options.hopRetentionDays, 90, 1, 3650, "QB_HOP_RETENTION_DAYS"),
    auditRetentionDays: bounded(
      options.auditRetentionDays,
      400,
      1,
      3650,
      "QB_AUDIT_RETENTION_DAYS",
    ),
    reportingTimeZone,
    hops: options.hops ?? true,
    hopQueueShards: bounded(options.hopQueueShards, 1, 1, 100, "QB_HOP_QUEUE_SHARDS"),
    apps: options.apps ?? {},
    demo: options.demo ?? env !== "production",
    maxBodyBytes: options.maxBodyBytes ?? LIMITS.bodyBytes,
    batchMaxBodyBytes: Math.max(options.maxBodyBytes ?? 0, LIMITS.batchBodyBytes),
    webhookBreaker: breakerRule(options.webhookBreaker),
    warnings,
  };
}

function breakerRule(o: BridgeOptions["webhookBreaker"]): BreakerRule | null {
  if (o === false) return null;
  const d = DEFAULT_BREAKER;
  return {
    hours: bounded(o?.hours, d.hours, 1, 24 * 30, "QB_WEBHOOK_BREAKER_HOURS"),
    failures: bounded(o?.failures, d.failures, 1, 100_000, "QB_WEBHOOK_BREAKER_FAILURES"),
  };
}
