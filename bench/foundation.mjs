// Foundation benchmarks through the real Worker (wrangler dev): the /qr route's Cache API.
// A poster QR rendered once is served from the cache afterwards: cached ÷ uncached time per image.
import { createHmac } from "node:crypto";
import { pathToFileURL } from "node:url";
import { fmt, startWorker } from "./lib.mjs";

const A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const KEY = "bench-signing-key-0123456789abcdef"; // B1, as in bench/lib.mjs

function b32(buf) {
  let bits = "";
  for (const b of buf) bits += b.toString(2).padStart(8, "0");
  bits += "0".repeat((5 - (bits.length % 5)) % 5);
  let out = "";
  for (let i = 0; i < bits.length; i += 5) out += A[Number.parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

/** A valid poster code for a 6-char id (same algorithm as src/core/token.ts; see docs/token-vectors.md). */
function posterCode(id) {
  return (
    id + b32(createHmac("sha256", KEY).update(`qb1.p.${id}`).digest().subarray(0, 3)).slice(0, 4)
  );
}

async function timeAll(urls, concurrency = 8) {
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < urls.length) {
        const res = await fetch(urls[i++]);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }
    }),
  );
  return (performance.now() - t0) / urls.length;
}

export async function run() {
  const w = await startWorker();
  try {
    const N = 400;
    const ids = Array.from({ length: N }, (_, k) => `B${String(k).padStart(5, "0")}`);
    const lines = [];
    for (const format of ["svg", "png"]) {
      const urls = ids.map((id) => `${w.url}/qr/p/${posterCode(id)}.${format}?m=${format}`);
      const uncached = await timeAll(urls);
      const cached = await timeAll(urls);
      lines.push(
        `qr route (${format}): cached ÷ uncached ${fmt(cached / uncached)} (uncached ${fmt(uncached)} ms, cached ${fmt(cached)} ms per image, ${N} posters, wrangler dev)`,
      );
    }
    return lines;
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
