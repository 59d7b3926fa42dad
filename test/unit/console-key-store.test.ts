// The keys page's store choice (src/client/console/key-store.js): every store found is offered and
// told apart by its number, the arrow keys walk the list round, and a mint with a store asks only
// for what the API allows a store key.
import { describe, expect, it } from "vitest";
import { mintBody, moveActive, storeOptions } from "../../src/client/console/key-store.js";

describe("storeOptions", () => {
  it("offers every store by name after 'all stores', a store number telling twins apart", () => {
    const stores = [
      { id: "st_b", name: "Kyoto", ref: "K-2" },
      { id: "st_c", name: "Aomori", ref: null },
      { id: "st_a", name: "Kyoto", ref: "K-1" },
    ];
    expect(storeOptions(stores, "All stores")).toEqual([
      ["", "All stores"],
      ["st_c", "Aomori"],
      ["st_a", "Kyoto (K-1)"],
      ["st_b", "Kyoto (K-2)"],
    ]);
    // The caller's list is left in its order.
    expect(stores.map((s) => s.id)).toEqual(["st_b", "st_c", "st_a"]);
  });

  it("offers only 'all stores' when there are none", () => {
    expect(storeOptions([], "All")).toEqual([["", "All"]]);
  });
});

describe("mintBody", () => {
  it("with a store, asks for a secret stats:read key whatever the other inputs held", () => {
    const v = {
      name: "Kyoto",
      kind: "publishable",
      origins: "https://a.example",
      store_id: "st_a",
    };
    expect(mintBody(v, ["admin", "posters:write"])).toEqual({
      name: "Kyoto",
      kind: "secret",
      scopes: ["stats:read"],
      store_id: "st_a",
    });
  });

  it("without one, sends the form's kind, scopes and origins and no store_id", () => {
    const v = {
      name: "Web",
      kind: "publishable",
      origins: " https://a.example\nhttps://b.example ",
      store_id: "",
    };
    const body = mintBody(v, ["handoffs:create"]);
    expect(body).toEqual({
      name: "Web",
      kind: "publishable",
      scopes: ["handoffs:create"],
      origins: ["https://a.example", "https://b.example"],
    });
    expect("store_id" in body).toBe(false);
    expect(mintBody({ name: "S", kind: "secret", origins: "" }, []).origins).toBeUndefined();
  });
});

describe("moveActive", () => {
  it("goes down from none to the first and up from none to the last", () => {
    expect(moveActive(-1, "ArrowDown", 3)).toBe(0);
    expect(moveActive(-1, "ArrowUp", 3)).toBe(2);
  });

  it("steps one at a time and wraps round at either end", () => {
    expect(moveActive(0, "ArrowDown", 3)).toBe(1);
    expect(moveActive(2, "ArrowDown", 3)).toBe(0);
    expect(moveActive(1, "ArrowUp", 3)).toBe(0);
    expect(moveActive(0, "ArrowUp", 3)).toBe(2);
  });

  it("has nowhere to go in an empty list, and starts over past a list that shrank", () => {
    expect(moveActive(-1, "ArrowDown", 0)).toBe(-1);
    expect(moveActive(4, "ArrowDown", 0)).toBe(-1);
    expect(moveActive(7, "ArrowDown", 2)).toBe(0);
    expect(moveActive(7, "ArrowUp", 2)).toBe(1);
  });
});
