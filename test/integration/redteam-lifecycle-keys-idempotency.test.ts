// Red team: an Idempotency-Key across a key roll. Through the grace the old and the new key are
// one caller, and a roll is made so a fleet can move from one to the other with nothing broken:
// a create whose answer was lost under the old key, retried by a worker already moved to the new
// one (or the other way), must get the first answer, not a second store. A key not linked by a
// roll still never sees another key's answer.
import { describe, expect, it } from "vitest";
import { db, post, unique } from "./idempotency-helpers";
import { mint, rolled } from "./key-roll-helpers";

const storesNamed = async (name: string) =>
  (await db
    .prepare("SELECT COUNT(*) AS n FROM stores WHERE name = ?")
    .bind(name)
    .first<{ n: number }>())!.n;

/** The Idempotency-Key of the create of `name` (visible ASCII: no space). */
const keyOf = (name: string) => `k-${name.replace(/ /g, "-")}`;

describe("an Idempotency-Key across a roll", () => {
  it("a create retried with the new key (or the old) gets the first answer; nothing is made twice", async () => {
    const old = await mint({ scopes: ["posters:write"] });
    const name = unique("store");
    const first = await post("/v1/stores", old.key, { name }, keyOf(name));
    expect(first.status).toBe(201);
    const made = (await first.json()) as { id: string };
    const next = await rolled(old.id);

    const again = await post("/v1/stores", next.key, { name }, keyOf(name));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(made.id);
    expect(await storesNamed(name)).toBe(1);
    // Another request under that key is a reuse, as with one key.
    const other = await post("/v1/stores", next.key, { name: `${name} 2` }, keyOf(name));
    expect(other.status).toBe(422);

    // The other way: made with the new key, retried by a worker still on the old one.
    const name2 = unique("store");
    const byNew = await post("/v1/stores", next.key, { name: name2 }, keyOf(name2));
    expect(byNew.status).toBe(201);
    const byOld = await post("/v1/stores", old.key, { name: name2 }, keyOf(name2));
    expect(byOld.headers.get("idempotent-replayed")).toBe("true");
    expect(await storesNamed(name2)).toBe(1);
  });

  it("down a chain of rolls, each key with the one next to it; a key not rolled never", async () => {
    const a = await mint({ scopes: ["posters:write"] });
    const b = await rolled(a.id);
    const name = unique("store");
    expect((await post("/v1/stores", b.key, { name }, keyOf(name))).status).toBe(201);
    const c = await rolled(b.id);
    const retried = await post("/v1/stores", c.key, { name }, keyOf(name));
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(await storesNamed(name)).toBe(1);

    // An unrelated key with the same value: its own create, never the other's answer.
    const stranger = await mint({ scopes: ["posters:write"] });
    const own = await post("/v1/stores", stranger.key, { name }, keyOf(name));
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
    expect(await storesNamed(name)).toBe(2);
  });
});
