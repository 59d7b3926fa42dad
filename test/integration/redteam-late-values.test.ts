// What conversions were worth (`converted_value`), attacked through POST /v1/events as an app, a
// script or a shop's server would: values and currencies the API must refuse with a clear JSON
// error (never a 500, never a silently odd sum), values it takes summed exactly, a conversion
// sent twice counted once, and a rollup row pushed past the exact bound neither wrapped nor
// dropped.
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelResult } from "../../src/store/stats";
import { waitForFunnel } from "./funnel-helpers";
import { createHandoff } from "./handoffs-helpers";
import { call, mintKey } from "./helpers";
import { eventually, hopRow, ingestViaQueue, testEnv } from "./hop-helpers";
import { makePoster, scannedSession } from "./poster-helpers";

const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
let server = "";
let statsKey = "";

/** POST /v1/events with a raw body, as a script that writes its own JSON would. */
const postRaw = (body: string, headers: Record<string, string> = {}) =>
  call("/v1/events", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "user-agent": APP, ...headers },
  });

/** A shop's server reporting orders `[idempotency key, JSON fields]` of one session: each 202. */
async function serverOrders(session: string, orders: [string, string][]): Promise<void> {
  const auth = { authorization: `Bearer ${server}`, "user-agent": "python-requests/2.31" };
  for (const [key, rest] of orders) {
    const body = `{"session":"${session}","type":"converted","idempotency_key":"${key}",${rest}}`;
    const res = await postRaw(body, auth);
    expect(res.status, `${key}: ${await res.clone().text()}`).toBe(202);
  }
}

beforeAll(async () => {
  server = await mintKey("secret", ["events:write"]);
  statsKey = await mintKey("secret", ["stats:read"]);
});

describe("values and currencies the API refuses", () => {
  let session = "";
  beforeAll(async () => {
    session = await scannedSession((await makePoster()).code);
  });
  const ev = (rest: string) => `{"session":"${session}","type":"converted",${rest}}`;

  it.each([
    ["a negative value", '"value":-1'],
    ["1e308", '"value":1e308'],
    ["1e400 (Infinity once parsed)", '"value":1e400'],
    ["-1e400", '"value":-1e400'],
    ["past the bound by a cent", '"value":1000000000.01'],
    ["10^13 with 2 decimals", '"value":10000000000000.25'],
    ["3 decimals", '"value":12.345'],
    ["0.001", '"value":0.001'],
    ["half a cent, 1.005", '"value":1.005'],
    ['"12.50" as a string', '"value":"12.50"'],
    ["null", '"value":null'],
    ["true", '"value":true'],
    ["an array", '"value":[12.5]'],
    ['"NaN" as a string', '"value":"NaN"'],
    ["lower case eur", '"value":1,"currency":"eur"'],
    ["EURO", '"value":1,"currency":"EURO"'],
    ["€", '"value":1,"currency":"€"'],
    ["an empty currency", '"value":1,"currency":""'],
    ["full-width ＥＵＲ", '"value":1,"currency":"ＥＵＲ"'],
    ["a currency that is a number", '"value":1,"currency":978'],
  ])("%s: 400 validation_failed naming the field", async (_name, rest) => {
    const res = await postRaw(ev(rest));
    expect(res.status, await res.clone().text()).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("validation_failed");
    expect(body.message).toMatch(/value|currency/);
  });

  it.each([
    ["NaN", "NaN"],
    ["Infinity", "Infinity"],
    ["a hex number", "0x10"],
    ["a trailing comma", "1,"],
    ["+5", "+5"],
  ])("%s, which is not JSON: 400 with a JSON error", async (_name, value) => {
    const res = await postRaw(ev(`"value":${value}`));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^[a-z_]+$/);
  });
});

async function funnelOf(posterId: string, want: number): Promise<FunnelResult> {
  return waitForFunnel(posterId, (t) => t.converted >= want);
}

describe("values the API takes, summed exactly", () => {
  it("a server's orders: 0, cents that are inexact doubles, the bound, an escaped currency, each counted once", async () => {
    const p = await makePoster();
    const session = await scannedSession(p.code);
    const orders: [string, string][] = [
      ["o-0", '"value":0,"currency":"EUR"'],
      ["o-neg0", '"value":-0,"currency":"EUR"'],
      ["o-1", '"value":0.1,"currency":"EUR"'],
      ["o-2", '"value":0.2,"currency":"EUR"'],
      ["o-3", '"value":0.30000000000000004,"currency":"EUR"'], // 0.1 + 0.2 as a double
      ["o-4", '"value":1000000,"currency":"EUR"'],
      ["o-5", '"value":999999.99,"currency":"EUR"'],
      ["o-6", '"value":12.5,"currency":"E\\u0055R"'], // JSON's escape of EUR
      ["o-7", '"value":1e2,"currency":"USD"'],
      ["o-8", '"value":7.1'], // no currency: XXX
      ["o-9", '"value":5,"currency":"XXX"'],
      ["o-10", '"currency":"JPY"'], // a conversion with a currency and no value: worth nothing
      // The same order again with another value: the first report counts, the second is a copy.
      ["o-1", '"value":900,"currency":"EUR"'],
      ["o-4", '"value":1000000,"currency":"EUR"'],
    ];
    await serverOrders(session, orders);
    const f = await funnelOf(p.id, 12);
    expect(f.totals.converted).toBe(12); // twelve keys, two of them sent twice
    // 0 + 0 + 0.1 + 0.2 + 0.3 + 1,000,000 + 999,999.99 + 12.5 = 2,000,013.09
    expect(f.totals.converted_value).toEqual({ EUR: 2_000_013.09, USD: 100, XXX: 12.1 });
  });

  it("orders in currencies of large numbers: 15,000,000 IDR and the largest value with cents, summed exactly", async () => {
    const p = await makePoster();
    const session = await scannedSession(p.code);
    const orders: [string, string][] = [
      ["i-1", '"value":15000000,"currency":"IDR"'], // about 950 US dollars
      ["i-2", '"value":2499000.5,"currency":"IDR"'],
      ["v-1", '"value":999999999.99,"currency":"VND"'], // the bound's last cent
      ["v-2", '"value":123456789.12,"currency":"VND"'],
    ];
    await serverOrders(session, orders);
    const f = await funnelOf(p.id, 4);
    expect(f.totals.converted_value).toEqual({ IDR: 17_499_000.5, VND: 1_123_456_789.11 });
  });

  it("an app's conversion sent twice with two values counts once, worth the first", async () => {
    const p = await makePoster();
    const session = await scannedSession(p.code);
    const first = await postRaw(`{"session":"${session}","type":"converted","value":19.99}`);
    expect(first.status).toBe(202);
    // A fresh idempotency key and a bigger value: without a secret key, still the same event.
    const again = await postRaw(
      `{"session":"${session}","type":"converted","value":500,"idempotency_key":"other"}`,
    );
    expect(again.status).toBe(202);
    const ids = await Promise.all([first.json(), again.json()]);
    expect((ids[0] as { event_id: string }).event_id).toBe(
      (ids[1] as { event_id: string }).event_id,
    );
    // A script's conversion (curl) on the same session is answered and worth nothing.
    const curl = await postRaw(`{"session":"${session}","type":"converted","value":7}`, {
      "user-agent": "curl/8.0",
    });
    expect(curl.status).toBe(202);
    const f = await funnelOf(p.id, 1);
    expect(f.totals).toMatchObject({ converted: 1, converted_value: { XXX: 19.99 } });
  });
});

describe("a busy minute", () => {
  it("20 copies of one order and 20 other orders sent at once: 21 conversions, each worth its value once", async () => {
    const p = await makePoster();
    const session = await scannedSession(p.code);
    const auth = { authorization: `Bearer ${server}` };
    const order = (key: string, value: number) =>
      postRaw(
        `{"session":"${session}","type":"converted","idempotency_key":"${key}","value":${value},"currency":"JPY"}`,
        auth,
      );
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, () => order("same", 1234.56)),
      ...Array.from({ length: 20 }, (_, i) => order(`o-${i}`, 0.01 * (i + 1))),
    ]);
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([202]));
    const f = await funnelOf(p.id, 21);
    expect(f.totals.converted).toBe(21);
    // 1,234.56 + (0.01 + 0.02 + … + 0.20) = 1,234.56 + 2.10
    expect(f.totals.converted_value).toEqual({ JPY: 1236.66 });
  });
});

describe("a handoff's conversion", () => {
  it("is worth its first report, in the handoffs' funnel only; a server's orders each once", async () => {
    const h = await createHandoff(await mintKey("secret", ["handoffs:write"]), { path: "/cart" });
    const resolved = await call("/v1/resolve", {
      method: "POST",
      json: { url: h.url },
      headers: { "user-agent": APP },
    });
    expect(resolved.status).toBe(200);
    const { session } = (await resolved.json()) as { session: string };
    const send = (body: string, headers: Record<string, string> = {}) => postRaw(body, headers);
    expect(
      (await send(`{"session":"${session}","type":"converted","value":12.5,"currency":"EUR"}`))
        .status,
    ).toBe(202);
    expect(
      (await send(`{"session":"${session}","type":"converted","value":99,"currency":"EUR"}`))
        .status,
    ).toBe(202);
    const auth = { authorization: `Bearer ${server}` };
    for (const key of ["h-1", "h-2", "h-1"])
      expect(
        (
          await send(
            `{"url":"${h.url}","type":"converted","value":0.05,"currency":"EUR","idempotency_key":"${key}"}`,
            auth,
          )
        ).status,
      ).toBe(202);
    const today = new Date().toISOString().slice(0, 10);
    const read = async (source: string) => {
      const q = new URLSearchParams({ from: today, to: today, source });
      const res = await call(`/v1/stats/funnel?${q}`, { key: statsKey });
      return ((await res.json()) as FunnelResult).totals;
    };
    const handoffs = await eventually(async () => {
      const t = await read("handoff");
      return t.converted >= 3 && t;
    }, "the handoff's conversions");
    expect(handoffs).toMatchObject({ converted: 3, converted_value: { EUR: 12.6 } });
  });
});

describe("a rollup row past the exact bound", () => {
  it("is neither wrapped nor dropped past 2^53 nor past SQLite's 2^63 hundredths", async () => {
    // A row can only get there through ten million conversions of the largest value; the test
    // puts it there directly, then counts more as a batch would.
    const at = Date.parse("2024-06-15T12:00:00Z");
    const facts = {
      subject_id: "XB",
      poster_id: "XB",
      store_id: "st_xb",
      hop: "converted" as const,
    };
    const row = (value: number) => hopRow({ ...facts, detail: { value, currency: "IDR" } }, at);
    const near63 = 9_223_372_036_854_000_000; // hundredths, 775,807 short of 2^63 - 1
    await testEnv.DB.prepare(
      "INSERT INTO hop_rollups (day, kind, store_id, campaign_id, poster_id, counts, scanners, delays) VALUES ('2024-06-15', 'poster', 'st_xb', '', 'XB', ?, '{}', '{}')",
    )
      .bind(`{"converted":1,"converted$IDR":${near63}}`)
      .run();
    await ingestViaQueue([row(1_000_000), row(1_000_000)]);
    const q = new URLSearchParams({ from: "2024-06-15", to: "2024-06-15", poster_id: "XB" });
    const res = await call(`/v1/stats/funnel?${q}`, { key: statsKey });
    expect(res.status, await res.clone().text()).toBe(200);
    const f = (await res.json()) as FunnelResult;
    expect(f.totals.converted).toBe(3);
    const idr = f.totals.converted_value.IDR!;
    // The exact sum is 92,233,720,368,542,000.00 units: a double near it, never negative or gone.
    const exact = (near63 + 2 * 100_000_000) / 100;
    expect(idr).toBeGreaterThan(0);
    expect(Math.abs(idr - exact) / exact).toBeLessThan(1e-12);
  });
});
