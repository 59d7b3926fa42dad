// Red team on GET /sdk/i18n/<lang>.<version>.json through the real Worker: what a request may
// vary to make a cache keep the wrong texts under an immutable name, credentials, HEAD and the
// other methods, conditional requests, and names a router or a cache may read differently.
import { describe, expect, it } from "vitest";
import { I18N_VERSION } from "../../src/client/dist/i18n.gen";
import { CATALOGS } from "../../src/client/langs/catalogs";
import { call } from "./helpers";

const FILE = (lang: string) => `/sdk/i18n/${lang}.${I18N_VERSION}.json`;

describe("/sdk/i18n: one URL, one answer", () => {
  it("the request's language, cookies and forwarding headers change nothing of the answer", async () => {
    const plain = await call(FILE("ja"));
    const body = await plain.text();
    for (const headers of <Record<string, string>[]>[
      { "accept-language": "ar" },
      { cookie: "qb_lang=he; qb_session=x" },
      { "user-agent": "Mozilla/5.0 MicroMessenger/8.0 Language/zh_TW" },
      { "x-forwarded-host": "evil.example", "x-original-url": FILE("ko") },
      { "x-http-method-override": "DELETE", origin: "https://evil.example" },
      { "if-none-match": '"other"', "if-modified-since": "Thu, 01 Jan 1970 00:00:00 GMT" },
    ]) {
      const res = await call(FILE("ja"), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await res.text(), JSON.stringify(headers)).toBe(body);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      // Nothing of the request is part of the answer: no Vary for a cache to key on.
      expect(res.headers.get("vary")).toBeNull();
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(JSON.parse(body)).toEqual(CATALOGS.ja);
  });

  it("only this version's exact name is immutable: a longer, a shorter or a padded one is not", async () => {
    for (const path of [
      `/sdk/i18n/ja.${I18N_VERSION}0.json`,
      `/sdk/i18n/ja.${I18N_VERSION.slice(0, -1)}.json`,
      `/sdk/i18n/ja.0${I18N_VERSION}.json`,
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).not.toContain("immutable");
      expect(res.headers.get("x-qrbridge-i18n-version")).toBe(I18N_VERSION);
    }
    // The query is the cache's too: a query on the immutable name gets the same texts.
    const query = await call(`${FILE("ko")}?lang=ja&v=${"0".repeat(12)}`);
    expect(await query.json()).toEqual(CATALOGS.ko);
  });

  it("names a router or a cache might read as another language are 404s", async () => {
    for (const path of [
      `/sdk/i18n/ja.${I18N_VERSION}.json/`,
      `/sdk/i18n/ja.${I18N_VERSION}.json;ko`,
      `/sdk/i18n/ja.${I18N_VERSION}.json%2F..%2Fko.json`,
      `/sdk/i18n/ko%2F..%2Fja.${I18N_VERSION}.json`,
      `/sdk/i18n/%6Ba.${I18N_VERSION}.json`.replace("%6Ba", "%6Ao"), // "jo"
      `/sdk/i18n/ja%00.${I18N_VERSION}.json`,
      `/sdk/i18n/ja%2e${I18N_VERSION}.json`.replace("%2e", "%252e"),
      `/sdk/i18n/zh-Hans.${I18N_VERSION}.json`,
      `/sdk/i18n/zh-HANT.${I18N_VERSION}.json`,
      `/sdk/i18n/hasOwnProperty.${I18N_VERSION}.json`,
      `/sdk/i18n/toString.json`,
      `/sdk/i18n/.${I18N_VERSION}.json`,
      `/sdk/i18n/${I18N_VERSION}.json`,
      `/sdk/i18n/ja..json`,
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("cache-control") ?? "", path).not.toContain("immutable");
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error, path).toBe("not_found");
      expect(body.message, path).not.toMatch(/HANT|Hans|hasOwn|toString|%|\.\.json/);
    }
  });

  it("an escaped letter of a real name reads as that name, with its own texts", async () => {
    const res = await call(`/sdk/i18n/%6Aa.${I18N_VERSION}.json`); // %6A is "j"
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CATALOGS.ja);
  });
});

describe("/sdk/i18n: methods and conditions", () => {
  it("HEAD: the GET's status and headers, no body, nothing else", async () => {
    const head = await call(FILE("he"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("etag")).toBe(`"${I18N_VERSION}"`);
    expect(head.headers.get("access-control-allow-origin")).toBe("*");
    expect(head.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("PUT, DELETE, PATCH: refused, the texts as they were", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const res = await call(FILE("de"), {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pending: "<script>alert(1)</script>" }),
      });
      expect(res.status, method).toBe(405);
      await res.text();
    }
    expect(await (await call(FILE("de"))).json()).toEqual(CATALOGS.de);
  });

  it("a 304 only for the texts' own ETag, and never for a name that is a 404", async () => {
    const etag = `"${I18N_VERSION}"`;
    const list = await call(FILE("fr"), { headers: { "if-none-match": `"x", W/${etag} ,"y"` } });
    expect(list.status).toBe(304);
    expect(list.headers.get("access-control-allow-origin")).toBe("*");
    for (const other of ['"x"', `"${I18N_VERSION}0"`, `${I18N_VERSION}`, `W/"${"0".repeat(12)}"`]) {
      const res = await call(FILE("fr"), { headers: { "if-none-match": other } });
      expect(res.status, other).toBe(200);
      expect(await res.json()).toEqual(CATALOGS.fr);
    }
    const missing = await call(`/sdk/i18n/xx.${I18N_VERSION}.json`, {
      headers: { "if-none-match": etag },
    });
    expect(missing.status).toBe(404);
    await missing.text();
  });

  it("a huge If-None-Match is read, never a 500", async () => {
    const res = await call(FILE("it"), {
      headers: { "if-none-match": `${'"x",'.repeat(10_000)}"${I18N_VERSION}"` },
    });
    expect([200, 304]).toContain(res.status);
    await res.text();
  });
});
