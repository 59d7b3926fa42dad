import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { httpOrigin, isHttpOrigin, requestOrigin } from "../../src/core/origin";
import { contentSecurityPolicy } from "../../src/pages/security";

const NONCE = "nonce_0123456789abcdef";
const imgSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("img-src "));

// Origins that would add sources or directives to the policy if written in as they are.
const MALICIOUS = [
  "https://qr.example.com; script-src *",
  "https://qr.example.com;script-src",
  "https://qr.example.com 'unsafe-inline'",
  "https://qr.example.com'",
  "*",
  "https://*.example.com",
  "https:",
  "data:",
  "javascript:alert(1)",
  "https://qr.example.com/path",
  "https://QR.example.com",
  "https://qr.example.com,https://evil.example",
  "",
];

describe("contentSecurityPolicy", () => {
  it("allows images from exactly the one origin it is given", () => {
    const csp = contentSecurityPolicy(NONCE, { imgOrigin: "https://qr.example.com" });
    expect(imgSrc(csp)).toBe("img-src 'self' data: https://qr.example.com");
    expect(imgSrc(contentSecurityPolicy(NONCE, { imgOrigin: "http://localhost:8787" }))).toBe(
      "img-src 'self' data: http://localhost:8787",
    );
    // Every other directive is the same as without it.
    const without = contentSecurityPolicy(NONCE);
    expect(imgSrc(without)).toBe("img-src 'self' data:");
    expect(csp.replace(" https://qr.example.com", "")).toBe(without);
    expect(contentSecurityPolicy(NONCE, { imgOrigin: null })).toBe(without);
  });

  it("lets scripts connect to exactly the one origin it is given, over HTTP(S) and WebSockets", () => {
    const directive = (csp: string) => csp.split("; ").find((d) => d.startsWith("connect-src "));
    const csp = contentSecurityPolicy(NONCE, { connectOrigin: "https://qr.example.com" });
    expect(directive(csp)).toBe("connect-src 'self' https://qr.example.com wss://qr.example.com");
    expect(
      directive(contentSecurityPolicy(NONCE, { connectOrigin: "http://localhost:8787" })),
    ).toBe("connect-src 'self' http://localhost:8787 ws://localhost:8787");
    const without = contentSecurityPolicy(NONCE);
    expect(csp.replace(" https://qr.example.com wss://qr.example.com", "")).toBe(without);
    // Both at once, and each nonce still its own.
    const both = contentSecurityPolicy("other", {
      imgOrigin: "https://qr.example.com",
      connectOrigin: "https://qr.example.com",
    });
    expect(imgSrc(both)).toBe("img-src 'self' data: https://qr.example.com");
    expect(directive(both)).toBe("connect-src 'self' https://qr.example.com wss://qr.example.com");
    expect(both).toContain("script-src 'nonce-other'");
    expect(both).not.toContain(NONCE);
  });

  it("throws for an origin that could rewrite the policy", () => {
    for (const origin of MALICIOUS) {
      expect(() => contentSecurityPolicy(NONCE, { imgOrigin: origin }), origin).toThrow(TypeError);
      expect(() => contentSecurityPolicy(NONCE, { connectOrigin: origin }), origin).toThrow(
        TypeError,
      );
      // Refused every time, not only the first (policies are remembered per origin).
      expect(() => contentSecurityPolicy(NONCE, { connectOrigin: origin }), origin).toThrow(
        TypeError,
      );
    }
  });
});

describe("httpOrigin", () => {
  it("gives the normalized origin of an http(s) URL with a plain host", () => {
    expect(httpOrigin("https://QR.example.com:443/go/")).toBe("https://qr.example.com");
    expect(httpOrigin("http://127.0.0.1:8787/x?y#z")).toBe("http://127.0.0.1:8787");
    expect(httpOrigin("http://[::1]:8787")).toBe("http://[::1]:8787");
    expect(httpOrigin("https://bücher.example")).toBe("https://xn--bcher-kva.example");
  });

  it("isHttpOrigin accepts exactly what httpOrigin writes", () => {
    for (const url of [
      "https://QR.example.com:443/go/",
      "http://127.0.0.1:8787/x",
      "http://[::1]:8787",
    ])
      expect(isHttpOrigin(httpOrigin(url)!), url).toBe(true);
    for (const text of MALICIOUS) expect(isHttpOrigin(text), text).toBe(false);
  });

  it("refuses what the URL parser lets into a host, and other schemes", () => {
    // The WHATWG parser keeps ";" and "'" in a host: new URL(...).origin alone is not enough.
    expect(new URL("https://a;b.example").origin).toBe("https://a;b.example");
    for (const url of [
      "https://a;b.example",
      "https://a'b.example",
      "https://*.example.com",
      "https://a_b.example",
      "https://qr example.com",
      "ftp://qr.example.com",
      "javascript:alert(1)",
      "not a url",
    ]) {
      expect(httpOrigin(url), url).toBeNull();
    }
  });
});

describe("requestOrigin", () => {
  it("is the URL parser's origin for any URL as a Request serializes it", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (raw) => {
        const url = new Request(raw).url;
        expect(requestOrigin(url)).toBe(new URL(url).origin);
      }),
      { numRuns: 500 },
    );
    for (const url of [
      "http://localhost:8787",
      "http://127.0.0.1:8787/p/X",
      "https://[::1]:8443/h/X?x=//y",
      "https://user:pw@qr.example.com/p/X",
      "http://qr.example.com?a=/b",
    ]) {
      expect(requestOrigin(url), url).toBe(new URL(url).origin);
    }
  });
});
