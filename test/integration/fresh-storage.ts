// Runs before every file of the workers-fresh project (vitest.config.ts): those files count
// everything in the database, queue and archive, so each starts as in a runtime of its own: on
// empty storage, freshly migrated, and with its modules (the Worker's caches, the helpers' keys)
// evaluated anew.
//
// The queue across the reset (what was found, @cloudflare/vitest-plugin 1.4.10, miniflare
// 5.20261023): `reset()` is workerd's `deleteAllDurableObjects()`. Miniflare's D1, KV and R2 are
// Durable Objects, so they are emptied; its queue broker is a Durable Object too, but declared
// with `preventEviction` and in-memory storage, which deleteAllDurableObjects skips. So:
// (a) no message is lost: whatever the previous file sent and the broker had not yet delivered
//     (and any retry waiting on its backoff timer) is still there after the reset;
// (b) and so it was counted into the NEXT file's empty database: a hop sent just before
//     `reset()` showed up in the fresh `hop_rollups` every time it was tried, one sent 20 ms
//     before did not (its batch had been consumed first). The same holds for work a request of
//     the previous file left running after its response (`ctx.waitUntil`: the scan's hop send),
//     which nothing in the pool awaits between files.
// emptyStorage() (storage-reset.ts) therefore drains first: it awaits the pool's pending
// waitUntil work, then sends sentinel hops through the queue until everything before them has
// been counted, into the old storage, and only then resets; fresh-storage.test.ts fails without
// either step. Not drained: a hop batch waiting on a retry's backoff (only after D1 failed under
// the real consumer, which no test makes happen) and the webhooks queue (a delivery of the
// previous file finds no such delivery in the new database and writes nothing).
import { vi } from "vitest";
import { emptyStorage } from "./storage-reset";

vi.resetModules();
await emptyStorage();
