// The storage reset of the workers-fresh project (storage-reset.ts, run before each of its files
// by fresh-storage.ts): a hop the previous file sent and the queue had not yet delivered must be
// counted into that file's storage, never into the emptied one.
import { describe, expect, it } from "vitest";
import { buildHop } from "../../src/store/hops";
import { scalar, testEnv } from "./hop-helpers";
import { drainHopQueue, emptyStorage } from "./storage-reset";

/** Send a hop for a poster id of its own through the real queue, without waiting for it. */
async function sendHop(): Promise<string> {
  const poster = `previous-file-${crypto.randomUUID()}`;
  const row = buildHop(
    { kind: "poster", subject_id: poster, poster_id: poster, hop: "scanned" },
    null,
  );
  await testEnv.HOPS!.send({ t: "hops", rows: [row] });
  return poster;
}

const counted = (poster: string) =>
  scalar("SELECT COUNT(*) FROM hop_rollups WHERE poster_id = ?", poster);

describe("emptying the storage between files", () => {
  it("counts a hop still in the queue before emptying, so the empty storage never receives it", async () => {
    const poster = await sendHop();
    await emptyStorage();
    // Whatever the queue still held is delivered by now (the drain waits for two batches).
    await drainHopQueue();
    expect(await counted(poster)).toBe(0);
    expect(await scalar("SELECT COUNT(*) FROM hop_batches")).toBe(2); // the drain's two sentinels
  });

  it("the drain returns only once the queued hop is counted", async () => {
    const poster = await sendHop();
    await drainHopQueue();
    expect(await counted(poster)).toBe(1);
  });

  it("waits for work a request left running after its response (waitUntil), and its hops", async () => {
    // What a scan's `ctx.waitUntil` lands in when the request came through exports.default.fetch
    // (the plugin's patched context): here a hop sent a little after the previous file ended.
    const internal = (await import(
      // @ts-expect-error the plugin's internal module has no type declarations
      "cloudflare:test-internal"
    )) as { registerGlobalWaitUntil(p: Promise<unknown>): void };
    let poster = "";
    internal.registerGlobalWaitUntil(
      new Promise((resolve) => setTimeout(resolve, 200)).then(async () => {
        poster = await sendHop();
      }),
    );
    await emptyStorage();
    await drainHopQueue();
    expect(poster).not.toBe("");
    expect(await counted(poster)).toBe(0);
  });
});
