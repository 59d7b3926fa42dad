// A kit is a bundle of its own (src/routes/lazy-modules.ts): one that carried a copy of what the
// main bundle keeps for an isolate would change a copy no request reads. The kits' build
// (scripts/build-lazy-modules.mjs) refuses that; here, the check itself and the kits as they are.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ISOLATE_STATE, isolateStateIn } from "../../scripts/kit-state.mjs";

const KITS = readdirSync("src").filter((name) => name.endsWith("-kit.ts"));

describe("the kits' isolate state", () => {
  it("no kit carries a copy of the main bundle's caches or pending hops", async () => {
    expect(KITS).toContain("admin-kit.ts");
    for (const kit of KITS) expect([kit, await isolateStateIn(`src/${kit}`)]).toEqual([kit, []]);
  });

  it("finds each one a kit would carry: a key lookup and revoke, a store rename, a hop recorded", async () => {
    const found = await isolateStateIn(
      "src/probe-kit.ts",
      [
        'export { findUnrevokedKey, revokeKey } from "./store/keys";',
        'export { updateStore } from "./store/stores";',
        'export { recordHop } from "./store/hops";',
        'export { clientThrottled } from "./store/client-limits";',
      ].join("\n"),
    );
    expect(found.sort()).toEqual(
      Object.entries(ISOLATE_STATE)
        .flatMap(([path, names]) => names.map((name) => `${name} of ${path}`))
        .sort(),
    );
  });

  it("leaves out a cache no code of the kit reads (its module imported for other exports)", async () => {
    // stores.ts imports the poster cache for its rename; listing stores never touches it.
    expect(
      await isolateStateIn("src/probe-kit.ts", 'export { listStores } from "./store/stores";'),
    ).toEqual([]);
  });
});
