// Red team, webhooks: names that resolve into the bridge's own network through wildcard DNS
// (nip.io, sslip.io and the like) are refused like the addresses they spell.
import { beforeAll, describe, expect, it } from "vitest";
import { call, mintKey } from "./helpers";

let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["webhooks:write"]);
});

const register = (url: string) =>
  call("/v1/webhooks", { method: "POST", key, json: { url, events: ["poster.scanned"] } });

describe("redteam: webhook receivers inside the bridge's network", () => {
  it("refuses names that wildcard DNS resolves to an internal address", async () => {
    for (const url of [
      "https://127.0.0.1.nip.io/hook",
      "https://169.254.169.254.nip.io/latest/meta-data/",
      "https://app.10.0.0.1.nip.io/",
      "https://10-0-0-1.sslip.io/",
      "https://magic-192-168-1-1.nip.io/",
      "https://a9fea9fe.nip.io/",
      "https://7f000001.nip.io./",
      "https://--1.sslip.io/",
      "https://fd00--1.sslip.io/",
      "https://0-0-0-0.sslip.io/",
    ]) {
      const res = await register(url);
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: string; details: { field: string } };
      expect(body.details.field, url).toBe("url");
    }
  });

  it("still takes public names, those that embed a public address included", async () => {
    for (const url of [
      "https://hooks.example.com/qb",
      "https://8.8.8.8.nip.io/",
      "https://52-1-2-3.sslip.io/",
      "https://deadbeef.example.com/",
      "https://api-v2.example.com/",
      "https://2024-06-10.example.com/",
      // Hash-named labels that spell multicast or reserved addresses (not a network's own).
      "https://e1f2a3b4.example.com/",
      "https://f00dcafe.execute.example.com/",
    ]) {
      const res = await register(url);
      expect(res.status, `${url} ${await res.clone().text()}`).toBe(201);
    }
  });
});
