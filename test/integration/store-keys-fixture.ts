// The two stores of the store-key tests (store-keys-funnel*.test.ts): they share a campaign and
// hold posters, scans and conversions worked out by hand, with a store key of the first, an
// unrestricted key and the first store's console session. Each test file seeds them on its own
// fresh storage ("*funnel*" in vitest.config.ts), so an unrestricted key's totals are exact.
import type { FunnelFreshness } from "../../src/store/funnel-freshness";
import type { FunnelResult as Figures, FunnelFigures } from "../../src/store/stats";
import { type Session, session } from "./console-helpers";
import { call, mintKey, mintStoreKey } from "./helpers";
import { hopRow, ingestViaQueue } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";

/** A funnel answer with its freshness block. */
export type FunnelResult = Figures & { freshness: FunnelFreshness | null };

export const D1 = "2017-02-13";
export const D2 = "2017-02-14";
const t1 = Date.parse(`${D1}T09:00:00Z`);
const t2 = Date.parse(`${D2}T09:00:00Z`);
/** The ranges every grouping is read over. */
export const RANGES = [
  `from=${D1}&to=${D2}`,
  `from=${D1}&to=${D1}`,
  `from=${D2}&to=${D2}`,
  `from=2017-01-01&to=2017-03-31`,
];

/** The two stores, the store key of A, an unrestricted key and A's console session. */
export interface TwoStores {
  A: { store: string; poster: string; spring: string };
  B: { store: string; poster: string; poster2: string; only: string };
  storeKeyA: string;
  openKey: string;
  consoleA: Session;
  /** Everything of store B a response might carry: its store, posters and own campaign. */
  leaksB: (text: string) => string[];
}

/**
 * Make the two stores, their posters and campaigns, and ingest their hops (worked out by hand:
 * the counts in the comments are what the tests expect), then the keys and the session.
 */
export async function seedTwoStores(): Promise<TwoStores> {
  const sa = await makeStore("Opéra");
  const sb = await makeStore("Bastille");
  const pa = await makePoster({ name: "Door A", store_id: sa.id, campaign: "Spring" });
  const pb = await makePoster({ name: "Door B", store_id: sb.id, campaign: "Spring" });
  const pb2 = await makePoster({ name: "Window B", store_id: sb.id, campaign: "B only" });
  const A = { store: sa.id, poster: pa.id, spring: pa.campaign_id! };
  const B = { store: sb.id, poster: pb.id, poster2: pb2.id, only: pb2.campaign_id! };
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
  const storeKeyA = await mintStoreKey(A.store);
  const leaksB = (text: string) =>
    [B.store, B.poster, B.poster2, B.only, "Bastille", "Window B", "Door B", "h_nostore"].filter(
      (s) => text.includes(s),
    );
  return {
    A,
    B,
    storeKeyA,
    openKey: await mintKey("secret", ["stats:read"]),
    consoleA: await session(storeKeyA),
    leaksB,
  };
}

/** The funnel's stages, in order. */
export const stages = (f: FunnelFigures) => [
  f.scanned,
  f.landing,
  f.app_open,
  f.redeemed,
  f.converted,
];

/**
 * An answer's figures, its freshness block set aside: every figure of it is the deployment's
 * traffic (so another store's), given to an unrestricted key only.
 */
export const figures = (body: FunnelResult) => ({ ...body, freshness: null });

/** `GET /v1/stats/funnel?query` with `key`: its status, text and body. */
export async function funnel(query: string, key: string) {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as FunnelResult };
}
