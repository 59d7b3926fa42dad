// Red team, a busy day at the consumer: hundreds of requests' messages delivered in overlapping
// batches to several consumers at once — first deliveries, redeliveries of batches that were
// counted but not acknowledged, resent copies of sends whose answer was lost, in shuffled
// groupings, app events that count once reported from several requests — count every hop
// exactly once, in the rollups and in the archive.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { archivedHops, hopRow, rolledUp, runQueue } from "./hop-helpers";

const STORE = "st_rt_busy";
// Yesterday: its once-only app opens must be recent enough to count (store/hop-ingest.ts).
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A seeded shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

type Message = { id: string; timestamp: Date; attempts: number; body: unknown };

describe("redteam: a busy day at the consumer", () => {
  it("300 requests, every message delivered two or three times in shuffled concurrent batches: each hop once", async () => {
    const at = Date.parse(`${DAY}T12:00:00Z`);
    const requests: HopRow[][] = Array.from({ length: 300 }, (_, i) => {
      const facts = { store_id: STORE, platform: i % 2 ? "ios" : "android" };
      const scan = hopRow({ ...facts, hop: "scanned" }, at + i * 1000, `busy-${i % 120}`);
      const rows = i % 3 ? [scan, hopRow({ ...facts, hop: "landing" }, at + i * 1000 + 5)] : [scan];
      // Every fifth request also reports an app open that counts once per session: 20
      // sessions, each reported three times from different requests.
      if (i % 5 === 0)
        rows.push(
          hopRow(
            { ...facts, hop: "app_open", event_id: `ev_rt_busy_${(i / 5) % 20}` },
            at + i * 1000 + 9,
          ),
        );
      return rows;
    });
    const hops = requests.flat();
    // Each request's message as the writer sends it; a third also sent again (a lost answer).
    const messages: Message[] = requests.flatMap((rows, i) => {
      const id = `${(at + i).toString(36).padStart(9, "0")}${i.toString(36).padStart(11, "0")}`;
      const first = {
        id: `q-${i}`,
        timestamp: new Date(at),
        attempts: 1,
        body: { t: "hops", id, rows },
      };
      if (i % 3 !== 0) return [first];
      return [first, { ...first, id: `q-${i}-again`, body: { t: "hops", id, again: true, rows } }];
    });
    // Round 1: every message once, in 4 shuffled batches, 2 consumers at a time.
    // Rounds 2–3: redeliveries (not acknowledged in time) of shuffled halves, batches of 37.
    const deliveries: Message[][] = [
      shuffled(messages, 1),
      shuffled(messages, 2)
        .slice(0, messages.length / 2)
        .map((m) => ({ ...m, attempts: 2 })),
      shuffled(messages, 3)
        .slice(0, messages.length / 2)
        .map((m) => ({ ...m, attempts: 3 })),
    ];
    for (const [round, list] of deliveries.entries()) {
      const size = round === 0 ? Math.ceil(list.length / 4) : 37;
      const batches: Message[][] = [];
      for (let i = 0; i < list.length; i += size) batches.push(list.slice(i, i + size));
      for (let i = 0; i < batches.length; i += 2)
        await Promise.all(batches.slice(i, i + 2).map((b) => runQueue("qrbridge-hops", b)));
    }
    expect(await rolledUp("scanned", "store_id = ?", STORE)).toBe(300);
    expect(await rolledUp("landing", "store_id = ?", STORE)).toBe(200);
    expect(await rolledUp("app_open", "store_id = ?", STORE)).toBe(20);
    expect(await rolledUp("scanned@p:ios", "store_id = ?", STORE)).toBe(150);
    const archived = await archivedHops({ store_id: STORE });
    const once = new Set(hops.filter((h) => h.event_id.startsWith("ev_")).map((h) => h.event_id));
    const random = hops.filter((h) => !h.event_id.startsWith("ev_"));
    expect(archived).toHaveLength(random.length + once.size);
    expect(new Set(archived.map((r) => r.event_id)).size).toBe(random.length + once.size);
  });
});
