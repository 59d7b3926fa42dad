#!/usr/bin/env node
// `npm run dev` (after scripts/dev-setup.mjs, the `predev` step): `wrangler dev` with a debugger
// port chosen here, the first free one from 9229, so a second checkout or another Worker on this
// machine never fails on a port the first already holds. Extra arguments reach wrangler dev
// (`npm run dev -- --port 8788`); an `--inspector-port` among them is used as given.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

const FIRST_INSPECTOR_PORT = 9229;

/** Whether `port` can be listened on at 127.0.0.1, where wrangler's inspector listens. */
function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The first free port from `from` (of 100 tried), else 0: the system picks one. */
async function freePort(from) {
  for (let port = from; port < from + 100; port++) if (await isFree(port)) return port;
  return 0;
}

const args = process.argv.slice(2);
if (!args.some((a) => a === "--inspector-port" || a.startsWith("--inspector-port="))) {
  const port = await freePort(FIRST_INSPECTOR_PORT);
  args.push("--inspector-port", String(port));
  if (port !== FIRST_INSPECTOR_PORT) {
    console.log(
      `qrbridge: ${FIRST_INSPECTOR_PORT} is taken; the debugger listens on ${port || "a free port"}`,
    );
  }
}

const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin/wrangler.js");
const child = spawn(process.execPath, [wrangler, "dev", ...args], { stdio: "inherit" });
// Ctrl-C reaches wrangler too (same process group); this process ends as wrangler does.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
