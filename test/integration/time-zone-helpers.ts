// Recording hops as a deployment with a reporting time zone (QB_REPORTING_TIME_ZONE) does: through
// the writer, with that zone in its configuration.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createBridge } from "../../src/bridge";
import { type BridgeOptions, resolveConfig } from "../../src/config";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { type HopInput, recordHop } from "../../src/store/hops";
import { testEnv } from "./hop-helpers";

/** The test configuration with `zone` as the reporting time zone (and `more` options). */
export function zonedConfig(zone: string, more: BridgeOptions = {}) {
  const e = testEnv as unknown as Record<string, string>;
  return resolveConfig({
    adminKey: e.QB_ADMIN_KEY,
    signingKeys: e.QB_SIGNING_KEYS,
    ipSalt: "s",
    ...more,
    reportingTimeZone: zone,
  });
}

/**
 * Record hops through the writer of a bridge in `zone` (no queue: written straight to D1 and the
 * archive), as one request from `ip` when given.
 */
export async function recordInZone(zone: string, inputs: HopInput[], ip?: string) {
  const ctx = createExecutionContext();
  const request = ip
    ? new Request("https://qr.test/p/X", { headers: { "cf-connecting-ip": ip } })
    : null;
  const scope = {
    env: { ...testEnv, HOPS: undefined },
    ctx,
    config: await zonedConfig(zone),
    request,
  };
  for (const input of inputs) recordHop(scope, input);
  await waitOnExecutionContext(ctx);
}

/** A person's poster scan on an iPhone at `at` (unix ms). */
export const scanAt = (poster: string, at: number, store_id?: string): HopInput => ({
  kind: "poster",
  subject_id: poster,
  poster_id: poster,
  store_id,
  hop: "scanned",
  platform: "ios",
  at,
});

/** The default Worker, configured with `zone` as its reporting time zone. */
export function zoned(zone: string) {
  const bridge = createBridge((e) => ({ ...optionsFromEnv(e), reportingTimeZone: zone }));
  return async (path: string, key: string): Promise<Response> => {
    const ctx = createExecutionContext();
    const res = await bridge.fetch(
      new Request(`https://qr.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
      testEnv as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
}
