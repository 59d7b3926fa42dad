// The limits and retry policies of src/config.ts are the ones wrangler.toml configures: each
// number is written in both, and this keeps them equal (vitest.config.ts imports RETRY).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config";
import { LIMITS, RATE_LIMITS, RETRY } from "../../src/limits";

const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");

/** The `[[name]]` tables of wrangler.toml, each as its `key = value` lines (values as written). */
function tables(name: string): Record<string, string>[] {
  return toml
    .split(/^(?=\[)/m)
    .filter((block) => block.startsWith(`[[${name}]]`))
    .map((block) => {
      const entries: Record<string, string> = {};
      for (const m of block.matchAll(/^(\w+)\s*=\s*(.+)$/gm)) entries[m[1]!] = m[2]!.trim();
      return entries;
    });
}

const consumer = (queue: string) => {
  const found = tables("queues.consumers").find((t) => t.queue === `"${queue}"`);
  if (!found) throw new Error(`no consumer of ${queue} in wrangler.toml`);
  return found;
};

const limiter = (name: string) => {
  const found = tables("ratelimits").find((t) => t.name === `"${name}"`);
  const m = /limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)/.exec(found?.simple ?? "");
  if (!m) throw new Error(`no simple rate limit ${name} in wrangler.toml`);
  return { limit: Number(m[1]), period: Number(m[2]) };
};

describe("limits in config.ts and wrangler.toml agree", () => {
  it("the webhook queue retries as often as a delivery may be attempted, less the first try", () => {
    expect(Number(consumer("qrbridge-webhooks").max_retries)).toBe(RETRY.webhook.attempts - 1);
  });

  it("the hop queue retries a failed batch as often as the policy says", () => {
    expect(Number(consumer("qrbridge-hops").max_retries)).toBe(RETRY.hopBatch.maxRetries);
  });

  it("the rate limiters hold the documented budgets over the period Retry-After names", () => {
    expect(limiter("PUBLIC_LIMITER")).toEqual({
      limit: RATE_LIMITS.publishable,
      period: RATE_LIMITS.periodSeconds,
    });
    expect(limiter("CLIENT_LIMITER")).toEqual({
      limit: RATE_LIMITS.client,
      period: RATE_LIMITS.periodSeconds,
    });
    expect(limiter("FAILURE_LIMITER")).toEqual({
      limit: RATE_LIMITS.failures,
      period: RATE_LIMITS.periodSeconds,
    });
    expect(limiter("LOGIN_LIMITER")).toEqual({
      limit: RATE_LIMITS.login,
      period: RATE_LIMITS.periodSeconds,
    });
    expect(limiter("LOGIN_EXCHANGE_LIMITER")).toEqual({
      limit: RATE_LIMITS.loginExchange,
      period: RATE_LIMITS.periodSeconds,
    });
  });

  it("the resolved configuration takes its bounds from LIMITS", async () => {
    const config = await resolveConfig({
      adminKey: "an-admin-key-0123456789abcdef",
      signingKeys: "K1:a-signing-key-0123456789",
    });
    expect(config.handoff).toMatchObject({
      defaultTtl: LIMITS.handoffTtlSeconds.default,
      minTtl: LIMITS.handoffTtlSeconds.min,
      maxTtl: LIMITS.handoffTtlSeconds.max,
      redeemWindow: LIMITS.redeemWindowSeconds.default,
      maxPayloadBytes: LIMITS.handoffPayloadBytes,
    });
    expect(config.maxBodyBytes).toBe(LIMITS.bodyBytes);
    expect(config.batchMaxBodyBytes).toBe(LIMITS.batchBodyBytes);
    await expect(
      resolveConfig({
        adminKey: "an-admin-key-0123456789abcdef",
        signingKeys: "K1:a-signing-key-0123456789",
        handoff: { defaultTtl: LIMITS.handoffTtlSeconds.max + 1 },
      }),
    ).rejects.toThrow(/QB_HANDOFF_TTL/);
  });
});
