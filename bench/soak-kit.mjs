// What every soak scenario (bench/soak-traffic.mjs, bench/soak-pc.mjs) calls the Worker with:
// a counted request, the shop's server with its secret key, a check of the answer's status that
// notes a surprise in the ledger, and who and what a scenario picks.
import { fetchRetrying } from "./fetch-retrying.mjs";
import { story } from "./soak-zones.mjs";

/** The shop's backend machines (TEST-NET-3 addresses). */
const SERVER_ADDRESSES = ["203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13"];

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
    // The story's next hops are proved by this call or a later one: the Worker recorded them
    // after now (a call after a hop was noted starts the window of the next ones).
    const ctx = story.getStore();
    if (ctx && (ctx.since === null || ctx.noted)) {
      ctx.since = Date.now();
      ctx.noted = false;
    }
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
    return { status: res.status, text, json, headers: res.headers };
  };
  const serverHeaders = { authorization: `Bearer ${w.key}`, "content-type": "application/json" };
  let serverTurn = 0;
  const expectStatus = (r, want, what) => {
    if (r.status === want) return true;
    ledger.surprise(`${what}: ${r.status} ${r.text.slice(0, 160)}`);
    return false;
  };
  return {
    call,
    expectStatus,
    /**
     * Send the same call `times` times, as a retrying client would: the first answer when it had
     * the status wanted (what the ledger counts, once), else null. A repeat's status is checked
     * too, but whatever it was, the first call's hop stands.
     */
    async repeated(times, send, want, what) {
      const first = await send();
      if (!expectStatus(first, want, what)) return null;
      for (let i = 1; i < times; i++) expectStatus(await send(), want, `${what} (again)`);
      return first;
    },
    /**
     * The shop's servers, with their secret key: a few machines, each its own address, taken in
     * turn. One address exchanging more than 600 login tickets a minute is refused
     * (`LOGIN_EXCHANGE_LIMITER`, per key and address, README: "raise it for a busier backend"),
     * which a soak on an idle machine reaches from a single one.
     */
    server: (method, path, body) => {
      const ip = SERVER_ADDRESSES[serverTurn++ % SERVER_ADDRESSES.length];
      return call(method, path, { ...serverHeaders, "cf-connecting-ip": ip }, body);
    },
    /**
     * A person: a few scan a lot, most a little — of 3,000 people the busiest is in about 2 % of
     * all stories, still within what one phone may call a minute (`CLIENT_LIMITER`, 300).
     */
    person: () => w.people[Math.floor(w.people.length * rnd.random() ** 2)],
    /** Anyone at all (someone else who saw a QR). */
    anyone: () => w.people[Math.floor(rnd.random() * w.people.length)],
    /** A poster: a few busy, a long quiet tail. */
    poster: () => w.posters[rnd.skewed(w.posters.length)],
    /** The path (and query) of one of the Worker's own links, to call it on this host. */
    pathOf: (link) => {
      const u = new URL(link);
      return `${u.pathname}${u.search}`;
    },
    posterFacts: (p) => ({
      kind: "poster",
      poster_id: p.id,
      store_id: p.store_id,
      campaign_id: p.campaign_id,
    }),
  };
}
