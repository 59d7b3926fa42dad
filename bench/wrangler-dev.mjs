// Start and stop `wrangler dev` for the benches: on a free port, ready and warmed up, in its own
// process group so that stop() ends workerd too.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

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
 * `wrangler dev -c <config>` on a free port with `extraArgs`, once it is ready and warmed up
 * (20 × /healthz): its URL, process group, log, and `stop()`.
 * @param {string} config
 * @param {string[]} [extraArgs]
 */
export async function startWranglerDev(config, extraArgs = []) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
  const port = await freePort();
  const args = ["wrangler", "dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1"];
  args.push("--show-interactive-dev-session=false", ...extraArgs);
  const child = spawn("npx", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`wrangler dev did not start:\n${log}`)),
      60_000,
    );
    const onData = (d) => {
      log += d;
      if (/Ready on/i.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`wrangler dev exited ${code}:\n${log}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 20; i++) await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
  return {
    url,
    pid: child.pid,
    log: () => log,
    async stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
    },
  };
}
