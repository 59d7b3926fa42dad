import type { ReferenceWords } from "./types";

export const metaReference: ReferenceWords = {
  operations: {
    "GET /openapi.json": {
      summary: "This OpenAPI 3.1 document",
    },
    "GET /docs": {
      summary: "Interactive API reference (HTML)",
    },
    "GET /healthz": {
      summary: "Liveness",
      responses: {
        "200": {
          fields: {
            warnings: {
              description:
                "Configuration that is served but looks wrong (naming the variable to fix); empty when none",
            },
          },
        },
      },
    },
    "GET /favicon.ico": {
      summary: "No icon (204), so browsers stop asking",
    },
    "GET /": {
      summary: "Demo PC page and demo poster (development only)",
      description:
        "A fake shop checkout built on `<qr-bridge>` (a handoff made through the demo backend, `create-endpoint=\"/demo/handoffs\"`, and a QR login with a simulated phone at `/demo/phone`), with a publishable key for the page's own origin (the login panel's). Only when the demo is on (`QB_DEMO`, default: on outside production).",
    },
    "GET /demo/phone": {
      summary: "Simulated phone for the QR login demo (development only)",
    },
    "POST /demo/handoffs": {
      summary: "Demo backend: the checkout's create-endpoint (development only)",
      description:
        "Calls `POST /v1/handoffs` with the demo backend's secret key for the demo cart (its payload, and its title and subtitle in `lang`, default from `Accept-Language`) and answers what the API answered. Only `ttl` is taken from the body; `path`, `payload` and `metadata` are the backend's own. A request from another origin (`Origin`, `Sec-Fetch-Site`) is `403`.",
    },
    "POST /demo/login/approve": {
      summary: "Demo backend: approve the login the phone scanned (development only)",
      description:
        "Calls `POST /v1/logins/{id}/approve` with the demo backend's secret key, for a login the demo page made (from this origin); any other login is `403`.",
    },
    "POST /demo/login/exchange": {
      summary: "Demo backend: exchange the PC page's ticket for its user (development only)",
      description: "Calls `POST /v1/logins/exchange` with the demo backend's secret key.",
    },
  },
};
