// Start and stop `wrangler dev` for the benches: on a free port, ready and warmed up, in its own
// process group so that stop() ends workerd too.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchRetrying } from "./fetch-retrying.mjs";

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * `wrangler dev -c <config>` on `port` (default: a free one) with `extraArgs`, once it is ready and warmed up
 * (20 × /healthz): its URL, process group, log (its tail, or all of it), and `stop()`.
 *
 * wrangler's output goes to a file, as a terminal would take it, not to a pipe: wrangler dev
 * writes a line per request, and Node writes to a pipe synchronously, so while the bench sat in
 * a blocking `wrk` run the pipe filled after ~1,000 requests and froze wrangler's own process
 * (and the request logs the dev proxy sends it piled up) for the rest of every round.
 * @param {string} config
 * @param {string[]} [extraArgs]
 * @param {number} [fixedPort] a port of the caller's choosing (bench/soak.mjs names its own)
 */
export async function startWranglerDev(config, extraArgs = [], fixedPort = undefined) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
  const port = fixedPort ?? (await freePort());
  const args = ["wrangler", "dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1"];
  // Its own inspector port too: a second wrangler dev on the machine holds the default 9229.
  if (!extraArgs.some((a) => a.startsWith("--inspector-port")))
    args.push("--inspector-port", String(await freePort()));
  args.push("--show-interactive-dev-session=false", ...extraArgs);
  const dir = mkdtempSync(join(tmpdir(), "qrbridge-wrangler-log-"));
  const logFile = join(dir, "wrangler.log");
  const out = openSync(logFile, "w");
  const child = spawn("npx", args, { env, stdio: ["ignore", out, out], detached: true });
  closeSync(out);
  /** The last 16 KB of wrangler's output. */
  const log = () => {
    const text = readFileSync(logFile, "utf8");
    return text.length > 16_000 ? text.slice(-16_000) : text;
  };
  let exited = null;
  child.on("exit", (code) => {
    exited = code;
  });
  for (const started = Date.now(); !/Ready on/i.test(log()); ) {
    if (exited !== null) throw new Error(`wrangler dev exited ${exited}:\n${log()}`);
    if (Date.now() - started > 60_000) throw new Error(`wrangler dev did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = `http://127.0.0.1:${port}`;
  // Through the same retry as every later request: the warm-up's 20 calls share one kept-alive
  // connection, which the dev proxy may drop (bench/fetch-retrying.mjs).
  for (let i = 0; i < 20; i++) await fetchRetrying(`${url}/healthz`).then((r) => r.arrayBuffer());
  return {
    url,
    pid: child.pid,
    log,
    /** The whole of wrangler's output so far. */
    fullLog: () => readFileSync(logFile, "utf8"),
    async stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
