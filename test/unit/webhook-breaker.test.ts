// The circuit breaker's rule (core/webhook-breaker.ts) and its options: which attempts write the
// endpoint (none for a healthy endpoint's success, none past the count), when the cron may pause,
// and how QB_WEBHOOK_BREAKER_* read, default and refuse.
import { describe, expect, it } from "vitest";
import { ConfigError, resolveConfig } from "../../src/config";
import { breakerWrite, DEFAULT_BREAKER, failingBefore } from "../../src/core/webhook-breaker";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";

const T = Date.UTC(2026, 11, 7);
const healthy = { failing_since: null, failures: 0 };
const keys = { adminKey: "a".repeat(24), signingKeys: "K1:0123456789abcdef0123" };

describe("breakerWrite", () => {
  it("writes nothing for a healthy endpoint's success, and clears a failing one's", () => {
    expect(breakerWrite(true, healthy, DEFAULT_BREAKER)).toBeNull();
    expect(breakerWrite(true, { failing_since: T, failures: 1 }, DEFAULT_BREAKER)).toBe("clear");
  });

  it("counts failures up to the rule's number, then writes nothing more", () => {
    const rule = { hours: 6, failures: 3 };
    expect(breakerWrite(false, healthy, rule)).toBe("count");
    expect(breakerWrite(false, { failing_since: T, failures: 2 }, rule)).toBe("count");
    expect(breakerWrite(false, { failing_since: T, failures: 3 }, rule)).toBeNull();
  });

  it("turned off, counts no failure and writes nothing for a healthy endpoint", () => {
    expect(breakerWrite(false, healthy, null)).toBeNull();
    expect(breakerWrite(true, healthy, null)).toBeNull();
  });

  it("turned off, a success still clears a run counted before: turned on again, it trips afresh", () => {
    expect(breakerWrite(true, { failing_since: T, failures: 9 }, null)).toBe("clear");
  });

  it("pauses what has failed since the rule's hours ago or earlier", () => {
    expect(failingBefore(T, { hours: 6, failures: 1 })).toBe(T - 6 * 3_600_000);
  });
});

describe("QB_WEBHOOK_BREAKER_*", () => {
  const read = (vars: Partial<Env>) => resolveConfig({ ...optionsFromEnv(vars as Env), ...keys });

  it("defaults to 6 hours and 50 failures; reads both; 'off' turns it off", async () => {
    expect((await read({})).webhookBreaker).toEqual({ hours: 6, failures: 50 });
    expect(
      (await read({ QB_WEBHOOK_BREAKER_HOURS: "24", QB_WEBHOOK_BREAKER_FAILURES: "200" }))
        .webhookBreaker,
    ).toEqual({ hours: 24, failures: 200 });
    for (const off of ["off", "0", "false"])
      expect((await read({ QB_WEBHOOK_BREAKER_HOURS: off })).webhookBreaker).toBeNull();
    expect((await resolveConfig({ ...keys, webhookBreaker: false })).webhookBreaker).toBeNull();
  });

  it("refuses what is not a sensible number, naming the variable", async () => {
    await expect(read({ QB_WEBHOOK_BREAKER_HOURS: "soon" })).rejects.toThrow(ConfigError);
    await expect(read({ QB_WEBHOOK_BREAKER_FAILURES: "0" })).rejects.toThrow(
      /QB_WEBHOOK_BREAKER_FAILURES/,
    );
  });
});
