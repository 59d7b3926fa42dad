import { describe, expect, it } from "vitest";
import * as zod from "zod/v4";
// @ts-expect-error: a plain JS module (see its header); typed through the real zod.
import * as slim from "../../src/vendor/zod-slim.js";

// What the slim build deliberately leaves out of the Worker bundle.
const LEFT_OUT = [
  "locales",
  "core",
  "compile",
  "ZodCompileAsyncError",
  "ZodCompileUnsupportedError",
  "fromJSONSchema",
];

describe("src/vendor/zod-slim.js", () => {
  it("re-exports every export of zod except the ones left out", () => {
    const expected = Object.keys(zod)
      .filter((k) => !LEFT_OUT.includes(k))
      .sort();
    expect(Object.keys(slim).sort()).toEqual(expected);
  });

  it("its `z` namespace works like zod's, with English messages", () => {
    const z = (slim as { z: typeof zod.z }).z;
    const result = z.object({ ttl: z.number().int().max(900) }).safeParse({ ttl: 901 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/900/);
    expect("locales" in z).toBe(false);
  });
});
