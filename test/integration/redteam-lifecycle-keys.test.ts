// Red team: a publishable key's origins, minted or edited to something no browser sends. The
// `Origin` check compares strings, so an origin stored in another spelling than the browser's
// (upper case, the default port, a wildcard, a Unicode name, user info) made a key whose page was
// refused on every request, after a 201 that said all was well.
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import { db } from "./idempotency-helpers";
import { createFrom, errorOf, mint, patch, SHOP } from "./key-roll-helpers";

/** Origins no browser sends in this spelling, each beside the one it sends. */
const MISSPELT: [string, string][] = [
  ["https://SHOP.example", "https://shop.example"],
  ["https://shop.example:443", "https://shop.example"],
  ["http://shop.example:80", "http://shop.example"],
  ["https://*.shop.example", "https://m.shop.example"],
  ["https://bücher.example", "https://xn--bcher-kva.example"],
  ["https://user@shop.example", "https://shop.example"],
  ["HTTPS://shop.example", "https://shop.example"],
];

const publishable = (origins: string[]) => ({
  kind: "publishable",
  scopes: ["handoffs:write"],
  origins,
});

describe("an origin no browser sends is refused, not stored", () => {
  it("at minting: a 400 naming the origin, and no key made", async () => {
    for (const [odd] of MISSPELT) {
      const before = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
      const res = await call("/v1/keys", {
        method: "POST",
        key: ADMIN_KEY,
        json: { name: "odd origin", ...publishable([SHOP, odd]) },
      });
      const err = await errorOf(res);
      expect(err, odd).toMatchObject({ status: 400, error: "validation_failed" });
      expect(err.details?.field, odd).toBe("origins.1");
      const after = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
      expect(after!.n, odd).toBe(before!.n);
    }
  });

  it("at an edit: a 400 naming the origin, and the key's origins unchanged", async () => {
    const pk = await mint(publishable([SHOP]));
    for (const [odd] of MISSPELT) {
      const err = await errorOf(await patch(pk.id, { origins: [odd] }));
      expect(err, odd).toMatchObject({ status: 400, error: "validation_failed" });
      expect(err.details?.field, odd).toBe("origins.0");
    }
    const row = await db.prepare("SELECT origins FROM api_keys WHERE id = ?").bind(pk.id).first();
    expect(row).toEqual({ origins: JSON.stringify([SHOP]) });
    expect(await createFrom(pk.key, SHOP)).toBe(201);
  });

  it("the spellings browsers send are taken, and the key works from exactly those", async () => {
    const sent = [
      "https://shop.example:8443",
      "http://localhost:8787",
      "https://xn--bcher-kva.example",
      "http://[::1]:8080",
      "http://127.0.0.1:3000",
    ];
    const pk = await mint(publishable([SHOP]));
    const res = await patch(pk.id, { origins: sent });
    expect(res.status, await res.clone().text()).toBe(200);
    for (const origin of sent) expect(await createFrom(pk.key, origin), origin).toBe(201);
    expect(await createFrom(pk.key, SHOP)).toBe(403);
  });
});
