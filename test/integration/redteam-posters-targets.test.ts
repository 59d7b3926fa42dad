// Red team, offline path: where a printed code leads and to whom its scans count. A scanner
// adding its own query to the printed link (another poster's session, a campaign, utm), a
// key holder trying to give a poster a code it did not get, windows written in time zones or
// on impossible dates, and two changes racing to leave a window that ends before it starts.
import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import {
  makePoster,
  makeStore,
  type PosterJson,
  patchPoster,
  posterKey,
  scan,
  waitForHops,
} from "./poster-helpers";

const session = (html: string) => /[?&]s=([0-9A-Z]{42})/.exec(html)?.[1];

describe("red team: a scanner's query on the printed link", () => {
  it("cannot carry another poster's session, store, campaign or utm into the scan", async () => {
    const mine = await makePoster({
      store_id: (await makeStore("Mine")).id,
      campaign: `mine ${crypto.randomUUID()}`,
    });
    const other = await makePoster({
      store_id: (await makeStore("Other")).id,
      campaign: `other ${crypto.randomUUID()}`,
    });
    const otherSession = session(await (await scan(`/p/${other.code}`)).text())!;
    expect(otherSession).toBeDefined();
    const query = new URLSearchParams({
      s: otherSession,
      store_id: other.store_id!,
      campaign: "evil",
      campaign_id: other.campaign_id!,
      utm_source: "evil",
      path: "//evil.example",
      qb_link: "https://evil.example/",
    });
    const res = await scan(`/p/${mine.code}?${query}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const mySession = session(html)!;
    expect(mySession.startsWith(mine.id)).toBe(true);
    expect(html).not.toContain(otherSession);
    expect(html).not.toMatch(/evil|utm_source/);
    const hops = await waitForHops({ poster_id: mine.id }, 2);
    for (const h of hops)
      expect(h).toMatchObject({ store_id: mine.store_id, campaign_id: mine.campaign_id });
    // The other poster's session resolves against its own poster only.
    const resolved = await call("/v1/resolve", {
      method: "POST",
      json: { url: `${mine.url}?s=${otherSession}` },
      headers: { "user-agent": "AcmeApp/1.0 (iPhone; iOS 17.4)" },
    });
    expect(resolved.status).toBe(400);
    expect(await resolved.json()).toMatchObject({ error: "invalid_token" });
  });
});

describe("red team: markup in a poster's path and params", () => {
  it("never lets a path or param break out of the landing page's links or attributes", async () => {
    const payload = `"><svg/onload=alert(1)><a/href='javascript:alert(2)'>`;
    const p = await makePoster({
      path: `/menu?q=${payload.replace(/ /g, "")}#x"><script>alert(3)</script>`,
      params: { q: payload, "x.y": "</script><script>alert(4)</script>" },
    });
    const res = await scan(`/p/${p.code}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/<svg\/onload|<script>alert|href='javascript|href="javascript/i);
    // The app link keeps the path, percent-encoded, and the attribution session after it.
    const link = /href="(qrbridge-demo:\/\/[^"]+)"/.exec(html)?.[1];
    expect(link).toBeDefined();
    expect(link).toMatch(/^qrbridge-demo:\/\/\/menu\?q=%22%3E%3Csvg\/onload=alert\(1\)%3E/);
    expect(link).toMatch(/&amp;s=[0-9A-Z]{42}&amp;qb_link=/);
    // Params reach the app only through resolve's JSON, never a page.
    expect(html).not.toContain("alert(4)");
  });
});

describe("red team: giving a poster a code it was not given", () => {
  it("refuses id and code in create, batch and PATCH: the code is fixed at creation", async () => {
    const victim = await makePoster({ path: "/victim" });
    const key = await posterKey();
    const evil = { id: victim.id, code: victim.code };
    const create = await call("/v1/posters", {
      method: "POST",
      key,
      json: { name: "x", path: "/evil", ...evil },
    });
    expect(create.status).toBe(400);
    const batch = await call("/v1/posters/batch", {
      method: "POST",
      key,
      json: { posters: [{ name: "x", path: "/evil", ...evil }] },
    });
    expect(batch.status).toBe(400);
    const other = await makePoster();
    for (const field of [{ code: victim.code }, { id: victim.id }]) {
      const res = await patchPoster(other.id, field);
      expect(res.status, JSON.stringify(field)).toBe(400);
    }
    const after = (await (await call(`/v1/posters/${victim.id}`, { key })).json()) as PosterJson;
    expect(after).toMatchObject({ code: victim.code, path: "/victim", version: 1 });
    const otherAfter = (await (
      await call(`/v1/posters/${other.id}`, { key })
    ).json()) as PosterJson;
    expect(otherAfter.code).toBe(other.code);
  });
});

describe("red team: active windows", () => {
  it("reads offsets exactly and refuses dates that do not exist or name no zone", async () => {
    const tokyo = await makePoster({
      active_from: "2026-07-01T00:00:00+09:00",
      active_until: "2026-09-01T00:00:00+09:00",
    });
    expect(tokyo.active_from).toBe(Date.parse("2026-06-30T15:00:00Z"));
    expect(tokyo.active_until).toBe(Date.parse("2026-08-31T15:00:00Z"));
    for (const active_from of [
      "2026-02-30T00:00:00Z", // Date.parse would make it 2 March
      "2026-07-01T00:00:00", // no zone: whose midnight?
      "2026-12-31T23:59:60Z",
      "2026-07-01T00:00:00+24:00",
      "2026-07-01",
      1.5,
      -1,
      "1782864000000",
    ]) {
      const res = await call("/v1/posters", {
        method: "POST",
        key: await posterKey(),
        json: { name: "x", path: "/x", active_from },
      });
      expect(res.status, String(active_from)).toBe(400);
      expect(await res.json()).toMatchObject({ details: { field: "active_from" } });
    }
    const empty = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path: "/x", active_from: 1000, active_until: 1000 },
    });
    expect(empty.status).toBe(400);
  });

  it("never lets two racing changes leave a window that ends before it starts", async () => {
    const t = Date.UTC(2040, 0, 1); // a fixed instant: the window's bounds are data, not the clock
    for (let round = 0; round < 5; round++) {
      const p = await makePoster({ active_from: t, active_until: t + 2_000 });
      const [a, b] = await Promise.all([
        patchPoster(p.id, { active_from: t + 1_500 }),
        patchPoster(p.id, { active_until: t + 1_000 }),
      ]);
      // Each alone is valid against the poster as it was; together they are not.
      expect([a.status, b.status].sort()).toEqual([200, 400]);
      const now = (await (
        await call(`/v1/posters/${p.id}`, { key: await posterKey() })
      ).json()) as PosterJson;
      // Whichever change won, the window is exactly the one it made.
      expect([
        [t + 1_500, t + 2_000],
        [t, t + 1_000],
      ]).toContainEqual([now.active_from, now.active_until]);
    }
  });
});
