// The names an `@example` of `npm run check:examples` (scripts/check-examples.mjs) may use
// without declaring them. A table apart from the checker: it grows with the docs' examples,
// while the checker itself rarely changes.

/**
 * The identifiers examples may use without declaring them, per entry point (`*`: all of them),
 * as `declare` statements with the types they have where that entry's code runs: a Worker for
 * `qrbridge`, an app for `qrbridge/client`. An example that uses another name fails until it
 * declares it or the name is added here (with an honest type, never `any`).
 */
export const FREE_IDENTIFIERS = {
  "*": {
    // The request a Worker (or a webhook receiver) is handling; the raw body of a webhook
    // delivery and the endpoint's secret, as its receiver has them.
    request: "declare const request: Request;",
    body: "declare const body: string;",
    secret: "declare const secret: string;",
  },
  qrbridge: {
    env: 'declare const env: import("qrbridge").Env;',
    ctx: "declare const ctx: ExecutionContext;",
    // A company's own Hono app, in which the bridge is mounted.
    company: 'declare const company: import("hono").Hono<{ Bindings: import("qrbridge").Env }>;',
    // The bridge that company mounted (`createBridge`), as the docs' fragments assume it.
    bridge: 'declare const bridge: import("qrbridge").Bridge;',
  },
  "qrbridge/worker": {
    env: 'declare const env: import("qrbridge").Env;',
    ctx: "declare const ctx: ExecutionContext;",
  },
  "qrbridge/client": {
    bridge: 'declare const bridge: import("qrbridge/client").AppClient;',
    // The link the app was opened with, the Play install referrer string
    // (react-native-play-install-referrer), and the app's own screens and navigation.
    url: "declare const url: string;",
    installReferrer: "declare const installReferrer: string;",
    // React Native's Linking, as its types declare the one method examples use.
    Linking:
      'declare const Linking: { addEventListener(type: "url", handler: (event: { url: string }) => void): { remove(): void } };',
    navigate: "declare function navigate(path: string, params?: unknown): void;",
    showAlreadyUsed: "declare function showAlreadyUsed(): void;",
    showExpired: "declare function showExpired(): void;",
    // React Native's Platform, as far as examples read it.
    Platform: 'declare const Platform: { OS: "ios" | "android" | "web" };',
    showLogin: 'declare function showLogin(scan: import("qrbridge/client").LoginScan): void;',
  },
};
