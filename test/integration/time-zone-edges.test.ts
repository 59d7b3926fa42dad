// The reporting time zone at the edges a caller can reach: the last day a date can name, and a day
// a zone skipped. Bad input gets a clear answer, never a 500.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { mintKey } from "./helpers";
import { testEnv } from "./hop-helpers";

/** The default Worker, configured with `zone` as its reporting time zone. */
function zoned(zone: string) {
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

let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
});

describe("the export's days at the edges", () => {
  it("the last day a date names (9999-12-31): an empty export in every zone, not a 500", async () => {
    for (const zone of ["UTC", "Asia/Tokyo", "America/Los_Angeles"]) {
      const res = await zoned(zone)("/v1/hops?from=9999-12-31&to=9999-12-31", key);
      expect(res.status, `${zone}: ${await res.clone().text()}`).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      expect(res.headers.get("x-next-cursor")).toBeNull();
    }
  });
});
