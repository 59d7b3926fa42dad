/**
 * The API reference's words: the OpenAPI document's introduction, its tags, the security
 * schemes' descriptions, and per tag (one module each, named by the tag) the operations' summaries
 * and descriptions and the schemas' descriptions and examples. Only the browser kit imports this
 * (the OpenAPI generator: routes/openapi-generator.ts), so the Worker's main bundle, where the
 * routes and their schemas are, carries none of it. test/unit/openapi-reference.test.ts checks
 * that every entry names a place the document has, and that no operation or field goes bare.
 *
 * To document a route: add its `"METHOD /path"` (the path as in its `createRoute`) to its tag's
 * module with a `summary`; a named schema's fields go under `schemas`, by the schema's name. The
 * words are given to the zod schema object at that place, so a field with words of its own needs
 * a schema of its own (`z.string().nullable()`, not a `const` that other fields share): the test
 * names a shared one whose words would differ.
 */
import { appReference } from "./app";
import { appsReference } from "./apps";
import { clientsReference } from "./clients";
import { dashboardReference } from "./dashboard";
import { handoffsReference } from "./handoffs";
import { keysReference } from "./keys";
import { loginsReference } from "./logins";
import { metaReference } from "./meta";
import { operationsReference } from "./operations";
import { postersReference } from "./posters";
import { qrReference } from "./qr";
import { scanReference } from "./scan";
import { statsReference } from "./stats";
import { storesReference } from "./stores";
import type { ReferenceWords } from "./types";
import { webhooksReference } from "./webhooks";

/** The document's `info.description`. */
export const DESCRIPTION =
  "Signed, short-lived QR deep links from a PC page or a printed poster into a mobile app, every hop logged. " +
  "Errors are `{error, message, details?}` with the HTTP status; authenticate with `Authorization: Bearer <key>`.";

/** The operations' tags, in the order of the README's API table. */
export const TAGS = [
  ["keys", "API keys, minted by the admin key"],
  ["handoffs", "PC page → app: create, watch, approve or deny, cancel"],
  ["logins", "QR login: the logged-in app approves the PC"],
  ["app", "The mobile app: resolve a link, report events"],
  ["stores", "Stores and campaigns"],
  ["posters", "Printed codes and their print kit"],
  ["stats", "The funnel and the raw hops"],
  ["webhooks", "Signed webhooks and their delivery log"],
  ["operations", "Queue messages that exhausted their retries"],
  ["scan", "The pages a scanned code opens"],
  ["qr", "QR images of this deployment's links"],
  ["apps", "App association files"],
  ["dashboard", "The funnel dashboard (session cookie)"],
  ["clients", "The web embed"],
  ["meta", "Health, this document, its reference page, the demo"],
].map(([name, description]) => ({ name: name!, description: description! }));

/** The security schemes' descriptions (routes/access.ts declares the schemes), by name. */
export const SECURITY_SCHEMES: Record<string, string> = {
  secretKey:
    "A secret API key, `Authorization: Bearer qb_sk_…`, for servers. Each operation names the scope the key must hold.",
  publishableKey:
    "A publishable key, `Authorization: Bearer qb_pk_…`, safe in a web page: it only creates handoffs and logins, only from one of its allowed `Origin`s, rate limited.",
  adminKey:
    "`QB_ADMIN_KEY`, `Authorization: Bearer …`: mints API keys, reads dead letters, and is taken wherever a secret key is.",
  watch:
    "The `watch` secret returned when the handoff or login was created (the PC page); a handoff's approve and deny also take it in the body.",
  dashboardSession:
    "The dashboard's session cookie, set by `POST /dashboard/login` for a secret key holding stats:read or the admin key.",
};

/** Each tag's words, in the order of `TAGS`. */
export const REFERENCE_PARTS: readonly ReferenceWords[] = [
  keysReference,
  handoffsReference,
  loginsReference,
  appReference,
  storesReference,
  postersReference,
  statsReference,
  webhooksReference,
  operationsReference,
  scanReference,
  qrReference,
  appsReference,
  dashboardReference,
  clientsReference,
  metaReference,
];

/**
 * The parts as one: every operation's and schema's words (a key named twice is an error).
 *
 * @example
 * const { operations, schemas } = referenceWords(REFERENCE_PARTS);
 */
export function referenceWords(parts: readonly ReferenceWords[]): Required<ReferenceWords> {
  const all: Required<ReferenceWords> = { operations: {}, schemas: {} };
  for (const part of parts) {
    for (const kind of ["operations", "schemas"] as const) {
      for (const [key, words] of Object.entries(part[kind] ?? {})) {
        if (key in all[kind]) throw new Error(`reference: ${kind} ${key} is described twice`);
        (all[kind] as Record<string, unknown>)[key] = words;
      }
    }
  }
  return all;
}

/** The whole reference, as the generator takes it. */
export const REFERENCE = {
  words: referenceWords(REFERENCE_PARTS),
  securitySchemes: SECURITY_SCHEMES,
};
