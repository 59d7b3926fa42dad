// Smoke-check the harness: healthz throughput alone.
import { load, startWorker } from "./lib.mjs";

const w = await startWorker();
try {
  const r = await load(`${w.url}/healthz`, { duration: 3 });
  console.log(
    `healthz: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non2xx ${r.non2xx}`,
  );
} finally {
  await w.stop();
}
