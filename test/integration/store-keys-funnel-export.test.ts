// A store key's raw hops and console session read its store only: the export, the console's
// funnel, CSV download, labels and funnel page never carry a count, a name or a hop of the other
// store (the two stores: store-keys-fixture.ts). The API's funnel: store-keys-funnel.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { GROUP_BY } from "../../src/store/stats";
import { consoleCall, type Session, session } from "./console-helpers";
import { call, exportLines } from "./helpers";
import { D1, D2, figures, funnel, seedTwoStores, type TwoStores } from "./store-keys-fixture";

let A: TwoStores["A"];
let B: TwoStores["B"];
let storeKeyA: string;
let openKey: string;
let consoleA: Session;
let leaksB: TwoStores["leaksB"];

beforeAll(async () => {
  ({ A, B, storeKeyA, openKey, consoleA, leaksB } = await seedTwoStores());
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
