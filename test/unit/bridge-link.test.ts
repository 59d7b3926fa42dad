// Reading a link back (core/bridge-link.ts): a link of another host is refused, and the refusal
// names both hosts, so a link made at `localhost` and resolved at `127.0.0.1` (or under a
// QB_PUBLIC_URL that changed since it was printed) says what is wrong.
import { describe, expect, it } from "vitest";
import { bridgeLinkOf } from "../../src/core/bridge-link";
import { ApiError } from "../../src/core/errors";

function refusal(base: string, input: string): ApiError {
  try {
    bridgeLinkOf(base, input);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`${input} was taken as a link of ${base}`);
}

describe("bridgeLinkOf", () => {
  it("takes a link of its own host in any case, under its base path", () => {
    expect(bridgeLinkOf("http://localhost:8787", "HTTP://LOCALHOST:8787/H/ABC").kind).toBe("h");
    expect(
      bridgeLinkOf("https://shop.example/qr", "HTTPS://SHOP.EXAMPLE/QR/P/7K2M9QX4AB"),
    ).toMatchObject({
      kind: "p",
      code: "7K2M9QX4AB",
    });
  });

  it("refuses another host's link, naming the link's host and the bridge's", () => {
    const err = refusal("http://127.0.0.1:8787", "HTTP://LOCALHOST:8787/H/ABC");
    expect(err.code).toBe("invalid_url");
    expect(err.status).toBe(400);
    expect(err.message).toBe("url: not a link of this bridge, whose links are on 127.0.0.1:8787");
    expect(err.details).toEqual({ host: "localhost:8787", bridge_host: "127.0.0.1:8787" });
    // A port is part of the host: the same name on another port is another bridge.
    expect(
      refusal("https://qr.example.com", "https://qr.example.com:8443/p/7K2M9QX4AB").details,
    ).toEqual({
      host: "qr.example.com:8443",
      bridge_host: "qr.example.com",
    });
  });

  it("finds the bridge link inside an app's custom-scheme URL and judges its host the same way", () => {
    const inner = encodeURIComponent("HTTPS://EVIL.TEST/H/ABC");
    const err = refusal("https://qr.test", `acme:///cart?qb_link=${inner}`);
    expect(err.details).toEqual({ host: "evil.test", bridge_host: "qr.test" });
  });
});
