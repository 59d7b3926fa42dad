// A key's roll family from its lookup's columns (store/key-family.ts): whom it is one caller
// with, and the budget it spends. The lookup itself: test/integration/keys-roll-chain-store.test.ts.
import { describe, expect, it } from "vitest";
import { familyAuth, familyOf } from "../../src/store/key-family";

const newest = (...ids: string[]) => JSON.stringify(ids);

describe("familyOf", () => {
  it("a key among its family's newest: the others, never itself", () => {
    const f = familyOf("b", { roll_family: "a", family: newest("c", "b", "a") }, "a", "c");
    expect(f.roll_family).toBe("a");
    expect(f.family.sort()).toEqual(["a", "c"]);
  });

  it("a key older than its family's newest: its neighbours only", () => {
    const f = familyOf("k0", { roll_family: "k0", family: newest("k21", "k20", "k2") }, null, "k1");
    expect(f.family).toEqual(["k1"]);
  });

  it("a key never rolled: no family, no link", () => {
    expect(familyOf("x", { roll_family: null, family: "[]" }, null, null)).toEqual({
      roll_family: null,
      family: [],
    });
    expect(familyOf("x", { roll_family: null, family: null }, null, null).family).toEqual([]);
  });
});

describe("familyAuth", () => {
  it("links the family and counts the budget under the family id", () => {
    expect(familyAuth({ roll_family: "a", family: ["b", "c"] })).toEqual({
      linkedKeyIds: ["b", "c"],
      budgetKeyId: "a",
    });
  });

  it("adds nothing for a key never rolled (its own id is its budget)", () => {
    expect(familyAuth({ roll_family: null, family: [] })).toEqual({});
  });
});
