// A store key (POST /v1/keys with store_id) and a console session of one read their store only:
// every funnel grouping, range and filter, the raw-hop export, the console's names and pages. Two
// stores share a campaign and hold posters, scans and conversions worked out by hand; the store
// key must never see a count, a name or a hop of the other store, and an unrestricted key still
// sees both. Fresh storage ("*funnel*" in vitest.config.ts): the unrestricted totals are exact.
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelFreshness } from "../../src/store/funnel-freshness";
import type { FunnelResult as Figures, FunnelFigures } from "../../src/store/stats";

type FunnelResult = Figures & { freshness: FunnelFreshness | null };

import { GROUP_BY } from "../../src/store/stats";
import { consoleCall, type Session, session } from "./console-helpers";
import { call, exportLines, mintKey, mintStoreKey } from "./helpers";
import { hopRow, ingestViaQueue } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";

const D1 = "2017-02-13";
const D2 = "2017-02-14";
const t1 = Date.parse(`${D1}T09:00:00Z`);
const t2 = Date.parse(`${D2}T09:00:00Z`);
const RANGES = [
  `from=${D1}&to=${D2}`,
  `from=${D1}&to=${D1}`,
  `from=${D2}&to=${D2}`,
  `from=2017-01-01&to=2017-03-31`,
];

let A: { store: string; poster: string; spring: string };
let B: { store: string; poster: string; poster2: string; only: string };
let storeKeyA: string;
let openKey: string;
let consoleA: Session;

beforeAll(async () => {
  const sa = await makeStore("Opéra");
  const sb = await makeStore("Bastille");
  const pa = await makePoster({ name: "Door A", store_id: sa.id, campaign: "Spring" });
  const pb = await makePoster({ name: "Door B", store_id: sb.id, campaign: "Spring" });
  const pb2 = await makePoster({ name: "Window B", store_id: sb.id, campaign: "B only" });
  A = { store: sa.id, poster: pa.id, spring: pa.campaign_id! };
  B = { store: sb.id, poster: pb.id, poster2: pb2.id, only: pb2.campaign_id! };
  const a = { kind: "poster" as const, subject_id: pa.id, poster_id: pa.id, store_id: sa.id };
  const ac = { ...a, campaign_id: A.spring };
  const b = { kind: "poster" as const, subject_id: pb.id, poster_id: pb.id, store_id: sb.id };
  const bc = { ...b, campaign_id: A.spring };
  const b2 = {
    kind: "poster" as const,
    subject_id: pb2.id,
    poster_id: pb2.id,
    store_id: sb.id,
    campaign_id: B.only,
  };
  const page = (scannedAt: number) => ({ created_at: scannedAt, detail: { via: "page" } });
  const rows = [
    // Store A: day 1, 3 scans, 2 landings, 1 app open, 1 conversion; day 2, 1 scan.
    ...[1, 2, 3].map((i) =>
      hopRow(
        { ...ac, hop: "scanned", session_id: `a${i}`, platform: "ios" },
        t1 + i,
        `10.0.0.${i}`,
      ),
    ),
    hopRow({ ...ac, hop: "landing", session_id: "a1", platform: "ios" }, t1 + 100),
    hopRow({ ...ac, hop: "landing", session_id: "a2", platform: "ios" }, t1 + 101),
    hopRow({ ...ac, hop: "app_open", session_id: "a1", platform: "ios", ...page(t1) }, t1 + 900),
    hopRow({ ...ac, hop: "converted", session_id: "a1", platform: "ios" }, t1 + 5000),
    hopRow({ ...ac, hop: "scanned", session_id: "a4", platform: "android" }, t2, "10.0.0.4"),
    // Store B: the shared campaign, day 1: 5 scans, 4 landings, 3 app opens, 2 conversions…
    ...[1, 2, 3, 4, 5].map((i) =>
      hopRow(
        { ...bc, hop: "scanned", session_id: `b${i}`, platform: "ios" },
        t1 + i,
        `10.1.0.${i}`,
      ),
    ),
    ...[1, 2, 3, 4].map((i) =>
      hopRow({ ...bc, hop: "landing", session_id: `b${i}`, platform: "ios" }, t1 + 100 + i),
    ),
    ...[1, 2, 3].map((i) =>
      hopRow(
        {
          ...bc,
          hop: "app_open",
          session_id: `b${i}`,
          platform: "ios",
          in_app: "line",
          ...page(t1),
        },
        t1 + 900 + i,
      ),
    ),
    ...[1, 2].map((i) =>
      hopRow({ ...bc, hop: "converted", session_id: `b${i}`, platform: "ios" }, t1 + 5000 + i),
    ),
    // …and its own campaign, day 2: 7 scans from in-app browsers.
    ...[1, 2, 3, 4, 5, 6, 7].map((i) =>
      hopRow(
        { ...b2, hop: "scanned", session_id: `c${i}`, platform: "android", in_app: "wechat" },
        t2 + i,
        `10.2.0.${i}`,
      ),
    ),
    // A handoff (no store): the deployment's, never a store's.
    hopRow({ kind: "handoff", subject_id: "h_nostore", hop: "scanned" }, t1 + 7, "10.3.0.1"),
    hopRow({ kind: "handoff", subject_id: "h_nostore", hop: "landing" }, t1 + 8),
  ];
  await ingestViaQueue(rows);
  storeKeyA = await mintStoreKey(A.store);
  openKey = await mintKey("secret", ["stats:read"]);
  consoleA = await session(storeKeyA);
});

const stages = (f: FunnelFigures) => [f.scanned, f.landing, f.app_open, f.redeemed, f.converted];

/** Everything of store B a response might carry: its store, posters and own campaign. */
const leaksB = (text: string) =>
  [B.store, B.poster, B.poster2, B.only, "Bastille", "Window B", "Door B", "h_nostore"].filter(
    (s) => text.includes(s),
  );

/**
 * An answer's figures, its freshness block set aside: every figure of it is the deployment's
 * traffic (so another store's), given to an unrestricted key only.
 */
const figures = (body: FunnelResult) => ({ ...body, freshness: null });

async function funnel(query: string, key: string) {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as FunnelResult };
}

describe("a store key's funnel", () => {
  it("totals are its store's hand count, and an unrestricted key still sees both stores", async () => {
    const own = await funnel(`from=${D1}&to=${D2}`, storeKeyA);
    expect(own.status).toBe(200);
    expect(stages(own.body.totals)).toEqual([4, 2, 1, 0, 1]);
    expect(own.body.totals.unique_scanners).toBe(4);
    const all = await funnel(`from=${D1}&to=${D2}`, openKey);
    // 4 (A) + 12 (B) + 1 handoff scans; 2 + 4 + 1 landings; 1 + 3 app opens; 1 + 2 conversions.
    expect(stages(all.body.totals)).toEqual([17, 7, 4, 0, 3]);
    // How current the counting is, and what waits, is every store's traffic (when the last
    // batch was counted moves with another store's scans): an unrestricted key's to know only.
    expect(own.body.freshness).toBeNull();
    expect(all.body.freshness?.last_counted_at).toEqual(expect.any(Number));
    const bOnly = await funnel(`from=${D1}&to=${D2}&store_id=${B.store}`, openKey);
    expect(stages(bOnly.body.totals)).toEqual([12, 4, 3, 0, 2]);
  });

  it("every grouping and range answers what an open key answers for store_id=A, and nothing of B", async () => {
    for (const range of RANGES)
      for (const g of GROUP_BY) {
        const q = `${range}&group_by=${g}`;
        const own = await funnel(q, storeKeyA);
        expect(own.status, q).toBe(200);
        expect(leaksB(own.text), q).toEqual([]);
        const ref = await funnel(`${q}&store_id=${A.store}`, openKey);
        expect(own.body.freshness, q).toBeNull();
        expect(figures(own.body), q).toEqual(figures(ref.body));
        // Naming its own store changes nothing.
        expect((await funnel(`${q}&store_id=${A.store}`, storeKeyA)).body, q).toEqual(own.body);
      }
    const byStore = await funnel(`from=${D1}&to=${D2}&group_by=store`, storeKeyA);
    expect(byStore.body.rows.map((r) => r.group)).toEqual([A.store]);
    const byCampaign = await funnel(`from=${D1}&to=${D2}&group_by=campaign`, storeKeyA);
    // The campaign both stores share counts A's 4 scans, not the 9 of the chain.
    expect(byCampaign.body.rows.map((r) => [r.group, r.scanned])).toEqual([[A.spring, 4]]);
    const bySource = await funnel(`from=${D1}&to=${D2}&group_by=source`, storeKeyA);
    expect(bySource.body.rows.map((r) => r.group)).toEqual(["poster"]);
    const byInApp = await funnel(`from=${D1}&to=${D2}&group_by=in_app`, storeKeyA);
    expect(byInApp.body.rows.map((r) => r.group)).not.toContain("wechat");
  });

  it("a query naming another store is refused (403 store_scope), whatever else it asks", async () => {
    for (const g of [undefined, ...GROUP_BY]) {
      const q = `from=${D1}&to=${D2}&store_id=${B.store}${g ? `&group_by=${g}` : ""}`;
      const res = await funnel(q, storeKeyA);
      expect(res.status, q).toBe(403);
      const body = JSON.parse(res.text) as { error: string; details: Record<string, unknown> };
      expect(body.error).toBe("forbidden");
      expect(body.details).toMatchObject({ field: "store_id", reason: "store_scope" });
      expect(leaksB(res.text.replace(B.store, ""))).toEqual([]);
    }
    // A made-up store is refused the same way: the answer tells no real id from a wrong one.
    expect((await funnel("store_id=st_nosuchstore", storeKeyA)).status).toBe(403);
  });

  it("another store's campaign or poster is read within the key's store: nothing of it", async () => {
    for (const g of [undefined, ...GROUP_BY])
      for (const filter of [
        `campaign_id=${B.only}`,
        `poster_id=${B.poster}`,
        `poster_id=${B.poster2}`,
        `campaign_id=${B.only}&poster_id=${B.poster2}`,
        "source=handoff",
        "source=login",
      ]) {
        const q = `from=${D1}&to=${D2}&${filter}${g ? `&group_by=${g}` : ""}`;
        const res = await funnel(q, storeKeyA);
        expect(res.status, q).toBe(200);
        expect(stages(res.body.totals), q).toEqual([0, 0, 0, 0, 0]);
        expect(res.body.totals.unique_scanners, q).toBe(0);
        expect(leaksB(res.text.replace(/(campaign|poster)_id=[^&]*/g, "")), q).toEqual([]);
      }
    // The shared campaign: A's part of it only.
    const spring = await funnel(`from=${D1}&to=${D2}&campaign_id=${A.spring}`, storeKeyA);
    expect(stages(spring.body.totals)).toEqual([4, 2, 1, 0, 1]);
  });
});

describe("a store key's raw hops", () => {
  it("the export holds its store's hops only: with and without filters", async () => {
    const own = (await exportLines(`from=${D1}&to=${D2}`, storeKeyA)).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(own).toHaveLength(8);
    expect(own.every((h) => h.store_id === A.store)).toBe(true);
    expect(await exportLines(`from=${D1}&to=${D2}`, openKey)).toHaveLength(31);
    for (const filter of [
      `poster_id=${B.poster}`,
      `campaign_id=${B.only}`,
      `subject_id=${B.poster2}`,
      "kind=handoff",
      "subject_id=h_nostore",
    ])
      expect(await exportLines(`from=${D1}&to=${D2}&${filter}`, storeKeyA), filter).toEqual([]);
    const spring = await exportLines(`from=${D1}&to=${D2}&campaign_id=${A.spring}`, storeKeyA);
    expect(spring).toHaveLength(8);
    for (const format of ["ndjson", "csv"]) {
      const res = await call(`/v1/hops?from=${D1}&to=${D2}&store_id=${B.store}&format=${format}`, {
        key: storeKeyA,
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { details: { reason: string } }).details.reason).toBe(
        "store_scope",
      );
    }
  });
});

describe("a store key's console session", () => {
  it("the console funnel, through either route, is the store's and refuses another store", async () => {
    for (const g of GROUP_BY) {
      const q = `from=${D1}&to=${D2}&group_by=${g}`;
      const ref = (await funnel(`${q}&store_id=${A.store}`, openKey)).body;
      for (const path of [`/funnel?${q}`, `/v1/stats/funnel?${q}`]) {
        const res = await consoleCall(consoleA, "GET", path);
        const text = await res.text();
        expect(res.status, path).toBe(200);
        expect(leaksB(text), path).toEqual([]);
        expect(JSON.parse(text).freshness, path).toBeNull();
        expect(figures(JSON.parse(text)), path).toEqual(figures(ref));
        const other = await consoleCall(consoleA, "GET", `${path}&store_id=${B.store}`);
        expect(other.status, path).toBe(403);
      }
    }
  });

  it("the CSV download holds the store's hops only", async () => {
    const lines: string[] = [];
    let cursor = "";
    do {
      const res = await consoleCall(
        consoleA,
        "GET",
        `/hops.csv?from=${D1}&to=${D2}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      const text = await res.text();
      const [, ...rows] = text.split("\r\n").filter(Boolean);
      lines.push(...rows);
      cursor = res.headers.get("x-next-cursor") ?? "";
    } while (cursor);
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => l.includes(A.store))).toBe(true);
    expect(leaksB(lines.join("\n"))).toEqual([]);
    const other = await consoleCall(consoleA, "GET", `/hops.csv?store_id=${B.store}`);
    expect(other.status).toBe(403);
    const poster = await consoleCall(
      consoleA,
      "GET",
      `/hops.csv?from=${D1}&to=${D2}&poster_id=${B.poster}`,
    );
    expect((await poster.text()).split("\r\n").filter(Boolean).length).toBeLessThanOrEqual(1);
  });

  it("the labels name its store, its posters and their campaigns only", async () => {
    const res = await consoleCall(consoleA, "GET", "/labels");
    const text = await res.text();
    expect(res.status).toBe(200);
    const labels = JSON.parse(text) as Record<string, { id: string; name: string }[]>;
    expect(labels.stores).toEqual([{ id: A.store, name: "Opéra" }]);
    expect(labels.campaigns).toEqual([{ id: A.spring, name: "Spring" }]);
    expect(labels.posters).toEqual([{ id: A.poster, name: "Door A · Opéra" }]);
    expect(leaksB(text)).toEqual([]);
    // An unrestricted session still gets every name.
    const open = await (await consoleCall(await session(openKey), "GET", "/labels")).json();
    expect((open as typeof labels).stores!.map((s) => s.id).sort()).toEqual(
      [A.store, B.store].sort(),
    );
  });

  it("the funnel page fixes the store filter to the store, whatever the URL asks", async () => {
    for (const url of ["/dashboard", `/dashboard?store_id=${B.store}`]) {
      const html = await (await call(url, { headers: { cookie: consoleA.cookie } })).text();
      const select = /<select name="store_id">(.*?)<\/select>/s.exec(html)![1]!;
      expect(select, url).toBe(`<option value="${A.store}" selected>${A.store}</option>`);
    }
    const open = await session(openKey);
    const html = await (await call("/dashboard", { headers: { cookie: open.cookie } })).text();
    expect(/<select name="store_id">(.*?)<\/select>/s.exec(html)![1]).toContain('value=""');
  });
});
