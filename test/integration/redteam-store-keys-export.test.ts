// An outsider holding store A's key pages through the raw-hop export and watches what the pages
// and their cursors say while only store B's traffic changes: A's answer must not move.
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call, mintStoreKey } from "./helpers";
import { hopRow, ingestViaQueue } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";

// A day no other file writes hops on (shared storage).
const DAY = "2011-05-17";
const t = Date.parse(`${DAY}T10:00:00Z`);

/** Every page of the export at `limit` rows: its rows, and how many pages carried a cursor. */
async function transcript(key: string, limit: number) {
  const rows: string[] = [];
  const cursors: string[] = [];
  let pages = 0;
  let cursor = "";
  do {
    const res = await call(
      `/v1/hops?from=${DAY}&to=${DAY}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      { key },
    );
    expect(res.status).toBe(200);
    rows.push(...(await res.text()).split("\n").filter(Boolean));
    cursor = res.headers.get("x-next-cursor") ?? "";
    if (cursor) cursors.push(cursor);
    pages++;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { rows, pages, cursors };
}

/** Stores `<name> A` and `<name> B`, a poster in each, and the hop fields of a scan of each. */
async function twoStores(name: string) {
  const sa = await makeStore(`${name} A`);
  const sb = await makeStore(`${name} B`);
  const scanOf = async (store: { id: string }, poster: string) => {
    const p = await makePoster({ name: `${name} ${poster}`, store_id: store.id });
    return { kind: "poster" as const, subject_id: p.id, poster_id: p.id, store_id: store.id };
  };
  return { sa, a: await scanOf(sa, "A"), b: await scanOf(sb, "B") };
}

describe("a store key paging the export", () => {
  it("learns nothing of another store's traffic from the number of pages", async () => {
    const { sa, a, b } = await twoStores("Paging");
    await ingestViaQueue([1, 2].map((i) => hopRow({ ...a, hop: "scanned" }, t + i)));
    const keyA = await mintStoreKey(sa.id);
    const before = await transcript(keyA, 1);
    expect(before.rows).toHaveLength(2);
    // Only store B's traffic changes.
    await ingestViaQueue(
      [1, 2, 3, 4, 5, 6, 7].map((i) => hopRow({ ...b, hop: "scanned" }, t + 10 + i)),
    );
    const after = await transcript(keyA, 1);
    expect(after.rows).toEqual(before.rows);
    expect(after.pages).toBe(before.pages);
    expect(after.cursors).toEqual(before.cursors);
  });

  it("a cursor counts only its own rows, even where another store's share its object", async () => {
    const { sa, a, b } = await twoStores("Mixed");
    const at = t + 3600_000;
    // One batch, one archive object: B, A, B, B, A, B.
    await ingestViaQueue(
      [b, a, b, b, a, b].map((s, i) => hopRow({ ...s, hop: "scanned" }, at + i)),
    );
    const keyA = await mintStoreKey(sa.id);
    const { rows, cursors } = await transcript(keyA, 1);
    expect(rows.map((l) => (JSON.parse(l) as { store_id: string }).store_id)).toEqual([
      sa.id,
      sa.id,
    ]);
    // Base64url of <hour>|<key>|<offset>: the offset counts A's rows, never B's between them.
    const offsets = cursors.map((c) =>
      Number(atob(c.replace(/-/g, "+").replace(/_/g, "/")).split("|")[2]),
    );
    expect(cursors.length).toBeLessThanOrEqual(2);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(2);
  });

  it("a cursor from an unrestricted key's page widens nothing", async () => {
    const { sa, a, b } = await twoStores("Borrowed");
    const at = t + 2 * 3600_000;
    await ingestViaQueue(
      [b, a, b, a, b, b].map((s, i) => hopRow({ ...s, hop: "scanned" }, at + i)),
    );
    const keyA = await mintStoreKey(sa.id);
    const open = await call(`/v1/hops?from=${DAY}&to=${DAY}&limit=2`, { key: ADMIN_KEY });
    const borrowed = open.headers.get("x-next-cursor");
    expect(borrowed).toBeTruthy();
    const res = await call(`/v1/hops?from=${DAY}&to=${DAY}&limit=1000&cursor=${borrowed}`, {
      key: keyA,
    });
    expect(res.status).toBe(200);
    const seen = (await res.text()).split("\n").filter(Boolean);
    expect(seen.every((l) => (JSON.parse(l) as { store_id: string }).store_id === sa.id)).toBe(
      true,
    );
    expect(res.headers.get("x-next-cursor")).toBeNull();
  });
});
