/**
 * The `QB_*` variables read into {@link BridgeOptions}: how the default Worker (src/index.ts)
 * and any Worker that wants the same variables configures `createBridge`. Apart from
 * config.ts because it only maps names to option fields (strings to numbers, flags and lists);
 * every check and default is `resolveConfig`'s, so options given in code and options read from
 * the environment are held to the same rules.
 */
import type { BridgeOptions, DeployEnv } from "./config";
import type { Env } from "./env";

/**
 * Read `QB_*` variables into options. Unset variables keep their defaults.
 *
 * @example
 * // the `QB_*` variables, with the demo off whatever QB_DEMO says
 * const bridge = createBridge((env) => ({ ...optionsFromEnv(env), demo: false }));
 */
export function optionsFromEnv(env: Env): BridgeOptions {
  const list = (v?: string) =>
    v
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const num = (v?: string) => (v === undefined || v === "" ? undefined : Number(v));
  const flag = (v?: string) => (v === undefined ? undefined : v === "true" || v === "1");
  /** A switch that is on unless turned off ("off", "false", "0" or "no"). */
  const off = (v?: string) => /^(off|false|0|no)$/i.test(v?.trim() ?? "");
  return {
    env: (env.QB_ENV as DeployEnv | undefined) ?? "development",
    publicUrl: env.QB_PUBLIC_URL || undefined,
    adminKey: env.QB_ADMIN_KEY,
    signingKeys: env.QB_SIGNING_KEYS,
    ipSalt: env.QB_IP_SALT,
    handoff: {
      defaultTtl: num(env.QB_HANDOFF_TTL),
      redeemWindow: num(env.QB_REDEEM_WINDOW),
      eventsByLink: flag(env.QB_HANDOFF_EVENTS_BY_LINK),
    },
    posters: { claimedResolves: flag(env.QB_POSTER_CLAIMED_RESOLVES) },
    hopRetentionDays: num(env.QB_HOP_RETENTION_DAYS),
    auditRetentionDays: num(env.QB_AUDIT_RETENTION_DAYS),
    reportingTimeZone: env.QB_REPORTING_TIME_ZONE?.trim() || undefined,
    hops: env.QB_HOPS === undefined ? undefined : !off(env.QB_HOPS),
    hopQueueShards: num(env.QB_HOP_QUEUE_SHARDS),
    webhookBreaker: off(env.QB_WEBHOOK_BREAKER_HOURS)
      ? false
      : {
          hours: num(env.QB_WEBHOOK_BREAKER_HOURS?.trim()),
          failures: num(env.QB_WEBHOOK_BREAKER_FAILURES?.trim()),
        },
    demo: env.QB_DEMO === undefined ? undefined : env.QB_DEMO === "true" || env.QB_DEMO === "1",
    apps: {
      name: env.QB_APP_NAME || undefined,
      scheme: env.QB_APP_SCHEME || undefined,
      iosAppIds: list(env.QB_IOS_APP_IDS),
      loginAppLinks: flag(env.QB_LOGIN_APP_LINKS),
      appClipIds: list(env.QB_APP_CLIP_IDS),
      appStoreUrl: env.QB_APP_STORE_URL || undefined,
      androidPackage: env.QB_ANDROID_PACKAGE || undefined,
      androidSha256: list(env.QB_ANDROID_SHA256),
      playStoreUrl: env.QB_PLAY_STORE_URL || undefined,
      webFallbackUrl: env.QB_WEB_FALLBACK_URL || undefined,
    },
  };
}
