// Poster batch benchmark through the real Worker (wrangler dev, fresh local state): POST
// /v1/posters/batch with 1,000 posters (one store, two campaigns), timed end to end from Node;
// three runs, median and each run printed. Wall-clock: it depends on the machine.
//
// Run: `node bench/posters.mjs`.
import { pathToFileURL } from "node:url";
import { api, median, mintKey, startWorker } from "./lib.mjs";

const BATCH = 1000;

async function batchCreate(w, key, storeId) {
  const times = [];
  let bytes = 0;
  for (let run = 0; run < 3; run++) {
    const body = {
      posters: Array.from({ length: BATCH }, (_, i) => ({
        name: `Shelf ${run}-${i}`,
        path: `/aisle/${i % 40}`,
        store_id: storeId,
        campaign: i % 2 ? "Bench odd" : "Bench even",
        params: { shelf: String(i) },
      })),
    };
    const t0 = performance.now();
    const out = await api(w.url, key, "POST", "/v1/posters/batch", body);
    times.push(performance.now() - t0);
    if (out.posters.length !== BATCH) throw new Error(`batch returned ${out.posters.length}`);
    bytes = JSON.stringify(out.posters).length;
  }
  return `posters batch: create ${BATCH} posters in one request — median ${Math.round(median(times))} ms (runs ${times.map((t) => Math.round(t)).join(", ")} ms; ${Math.round(bytes / 1024)} KiB response, wrangler dev; wall-clock, environment-dependent)`;
}

/** Run the poster benchmarks; returns the printed lines. */
export async function run() {
  const w = await startWorker();
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["posters:write"] });
    const store = await api(w.url, key, "POST", "/v1/stores", { name: "Bench store" });
    return [await batchCreate(w, key, store.id)];
  } finally {
    await w.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await run()) console.log(line);
}
