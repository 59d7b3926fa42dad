// What every soak scenario (bench/soak-traffic.mjs, bench/soak-pc.mjs) calls the Worker with:
// a counted request, the shop's server with its secret key, a check of the answer's status that
// notes a surprise in the ledger, and who and what a scenario picks.
import { fetchRetrying } from "./fetch-retrying.mjs";

/**
 * The kit of a world `{ url, key, people, posters, ledger, rnd }`.
 *
 * @example
 * const { call, expectStatus } = soakKit(world);
 * const r = await call("GET", "/healthz", {});
 * expectStatus(r, 200, "health");
 */
export function soakKit(w) {
  const { ledger, rnd } = w;
  const call = async (method, path, headers, body) => {
    ledger.requests++;
    const res = await fetchRetrying(`${w.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, text, json };
  };
  const serverHeaders = { authorization: `Bearer ${w.key}`, "content-type": "application/json" };
  return {
    call,
    /** The shop's server, with its secret key. */
    server: (method, path, body) => call(method, path, serverHeaders, body),
    /** Whether the answer has the status the story expects; if not, a surprise in the ledger. */
    expectStatus(r, want, what) {
      if (r.status === want) return true;
      ledger.surprise(`${what}: ${r.status} ${r.text.slice(0, 160)}`);
      return false;
    },
    /**
     * A person: a few scan a lot, most a little — the busiest about 2 % of all stories, still
     * within what one phone may call a minute (`CLIENT_LIMITER`, 300).
     */
    person: () => w.people[Math.floor(w.people.length * rnd.random() ** 2)],
    /** Anyone at all (someone else who saw a QR). */
    anyone: () => w.people[Math.floor(rnd.random() * w.people.length)],
    /** A poster: a few busy, a long quiet tail. */
    poster: () => w.posters[rnd.skewed(w.posters.length)],
    pathOf: (link) => new URL(link).pathname,
    posterFacts: (p) => ({
      kind: "poster",
      poster_id: p.id,
      store_id: p.store_id,
      campaign_id: p.campaign_id,
    }),
  };
}
