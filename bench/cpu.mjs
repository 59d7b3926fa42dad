// CPU accounting of a `wrangler dev` from /proc (Linux only), for benches that say where the
// time goes per request.
import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time (ms, user + system) so far of the two workerd processes a `wrangler dev` runs: the
 * dev proxy (wrangler's ProxyWorker, which every request passes through and which runs HTML
 * responses through HTMLRewriter) and the Worker's own process (the Worker, and the local
 * queue broker, queue consumer, D1, KV and Durable Objects it talks to). Linux only (/proc);
 * null elsewhere.
 * @param {{ pid: number }} w
 * @returns {{ proxy: number, worker: number } | null}
 */
export function workerdCpu(w) {
  let procs;
  try {
    procs = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, "utf8");
          const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
          return {
            pid: Number(d),
            ppid: Number(f[1]),
            ms: (Number(f[11]) + Number(f[12])) * 10,
            cmd,
          };
        } catch {
          return null;
        }
      })
      .filter(Boolean);
  } catch {
    return null;
  }
  const mine = new Set([w.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs)
      if (mine.has(p.ppid) && !mine.has(p.pid)) {
        mine.add(p.pid);
        grew = true;
      }
  }
  const workerds = procs.filter((p) => mine.has(p.pid) && /\/workerd\0/.test(p.cmd));
  if (workerds.length !== 2) return null;
  // The Worker's own runtime is the one wrangler gives an inspector port.
  const worker = workerds.find((p) => p.cmd.includes("--inspector-addr"));
  const proxy = workerds.find((p) => p !== worker);
  return worker && proxy ? { proxy: proxy.ms, worker: worker.ms } : null;
}
