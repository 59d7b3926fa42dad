// `fetch` for the benches, the browser tests and the print check, which call a Worker under
// `wrangler dev` from Node: a connection the dev proxy dropped before answering is tried again.
// Its own module so that bench/wrangler-dev.mjs (which bench/lib.mjs imports) can use it too.

/** Socket errors after which no answer arrived: the request is sent again. */
const DROPPED_CONNECTION = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

/**
 * `fetch`, tried again (up to 3 times) when the connection fails before any answer: the dev
 * proxy may close a pooled keep-alive connection just as Node reuses it (after a load phase, or
 * after seconds of idling while a browser test works), and Node's fetch then fails with
 * "fetch failed". Benches, browser tests and the print check call the Worker through this.
 */
export async function fetchRetrying(url, init, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (i < attempts && DROPPED_CONNECTION.has(err?.cause?.code)) {
        await new Promise((r) => setTimeout(r, 50 * i));
        continue;
      }
      // Node's own message is only "fetch failed": name the request and the socket's reason.
      const why = err?.cause?.code ?? err?.cause?.message ?? "no cause";
      throw new Error(`${init?.method ?? "GET"} ${url}: ${err?.message} (${why})`, { cause: err });
    }
  }
}
