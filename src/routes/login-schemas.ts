/**
 * OpenAPI/zod schemas of the QR login API (`/v1/logins…`) and its route definitions, which
 * routes/logins.ts and routes/login-app.ts register with their handlers. Times are unix ms.
 * The flow and threat model: docs/logins.md.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LIMITS } from "../config";
import { APPROVAL_LIMITS, LOGIN_STATUSES, LOGIN_TTL } from "../core/login";
import { CODE_CHALLENGE_PATTERN } from "../core/login-ticket";
import { access } from "./access";
import { requireKey } from "./middleware";
import { errorResponses, ownKeys, QrLinks } from "./schemas";

export const LoginStatusSchema = z.enum(LOGIN_STATUSES).openapi("LoginStatus");

const text = z.string().nullable();
export const Requester = z
  .object({
    platform: z.string(),
    browser: text,
    os: text,
    country: text,
    city: text,
    region: text,
    colo: text,
    origin: text.openapi({ description: "The page's Origin (trust it only from browsers)" }),
  })
  .openapi("LoginRequester", { description: "The computer asking to log in" });

const Approver = z
  .object({ platform: z.string(), os: text, browser: text, country: text, city: text })
  .openapi("LoginApprover", { description: "The phone that scanned" });

const Proximity = z
  .object({
    same_network: z.boolean().nullable().openapi({
      description: "Same IPv4 /24 or IPv6 /48 (compared as salted hashes); null: unknown",
    }),
    distance_km: z.number().int().nullable().optional().openapi({
      description: "Between the two `request.cf` locations; absent or null: unknown",
    }),
  })
  .openapi("LoginProximity");

const Metadata = ownKeys(z.record(z.string(), z.string()));
const ms = (description: string) => z.number().int().nullable().openapi({ description });

export const CreateLogin = z
  .object({
    code_challenge: z
      .string()
      .regex(CODE_CHALLENGE_PATTERN, "base64url SHA-256, 43 characters")
      .openapi({
        description: "PKCE S256: base64url(SHA-256(code_verifier)); the verifier stays in the page",
        example: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      }),
    code_challenge_method: z.literal("S256").optional(),
    ttl: z
      .number()
      .int()
      .optional()
      .openapi({
        description: `Seconds the QR lives, ${LOGIN_TTL.min}–${LOGIN_TTL.max} (default ${LOGIN_TTL.default})`,
      }),
    metadata: Metadata.optional().openapi({
      description: "Strings shown to the app with the requester (e.g. `site`)",
      example: { site: "Acme web" },
    }),
    client: z
      .object({
        user_agent: z.string().max(512).optional(),
        ip: z.string().max(64).optional(),
        origin: z.string().max(200).optional(),
      })
      .optional()
      .openapi({
        description:
          "Secret keys only: the PC's browser as your backend saw it, when the backend creates the login for it",
      }),
  })
  .openapi("CreateLoginRequest");

export const CreatedLogin = z
  .object({
    id: z.string(),
    url: z.string().openapi({ description: "The link the QR carries (uppercase, /L/…)" }),
    qr: QrLinks,
    expires_at: z.number().int().openapi({ description: "Unix ms: the QR stops working" }),
    watch: z.string().openapi({ description: "Secret for reading/watching. Shown once." }),
    events_url: z.string().openapi({ description: "WebSocket URL with the watch secret" }),
    status: LoginStatusSchema,
  })
  .openapi("CreatedLogin");

export const Login = z
  .object({
    id: z.string(),
    status: LoginStatusSchema,
    metadata: z.record(z.string(), z.string()).nullable(),
    requester: Requester,
    created_at: z.number().int(),
    expires_at: z.number().int(),
    deadline: ms("Unix ms: deadline of the current state (null once ended)"),
    scanned_at: ms("Unix ms"),
    approver: Approver.nullable(),
    proximity: Proximity.nullable(),
    other_scans: z.number().int().openapi({ description: "Later scans refused (a warning)" }),
    approved_at: ms("Unix ms"),
    exchanged_at: ms("Unix ms"),
    ended_at: ms("Unix ms"),
    denied_by: z.enum(["app", "backend", "policy"]).nullable(),
    denied_reason: text,
    ticket: z.string().optional().openapi({ description: "While approved: the one-time ticket" }),
    changed: z.boolean().optional().openapi({ description: "Long-poll only" }),
  })
  .openapi("Login");

export const ScannedLogin = z
  .object({
    id: z.string(),
    scan: z.string().openapi({ description: "Handle for approve/deny. Shown once." }),
    expires_at: z.number().int().openapi({ description: "Unix ms: approve before this" }),
    requester: Requester.extend({ created_at: z.number().int() }),
    proximity: Proximity,
    metadata: z.record(z.string(), z.string()).nullable(),
  })
  .openapi("ScannedLogin");

export const ApproveLogin = z
  .object({
    scan: z.string().min(16).max(100),
    subject: z.string().min(1).max(APPROVAL_LIMITS.subject).openapi({
      description: "Your user id: what the exchange hands to the PC's backend",
    }),
    claims: ownKeys(z.record(z.string(), z.unknown()))
      .optional()
      .openapi({
        description: `Any JSON object (≤ ${APPROVAL_LIMITS.claimsBytes} bytes)`,
      }),
    require_same_network: z.boolean().optional(),
    max_distance_km: z.number().min(0).max(20_000).optional(),
  })
  .openapi("ApproveLoginRequest");

export const DenyLogin = z
  .object({
    scan: z.string().min(16).max(100),
    reason: z.string().max(APPROVAL_LIMITS.reason).optional(),
  })
  .openapi("DenyLoginRequest");

export const ExchangeLogin = z
  .object({
    ticket: z.string().min(1).max(100),
    code_verifier: z.string().min(1).max(256),
  })
  .openapi("ExchangeLoginRequest");

export const ExchangedLogin = z
  .object({
    login_id: z.string(),
    subject: z.string(),
    claims: z.unknown(),
    approved_at: z.number().int(),
    requester: Requester,
    approver: z.object({ platform: z.string(), country: text }),
  })
  .openapi("ExchangedLogin");

const Decided = z
  .object({ id: z.string(), status: LoginStatusSchema, at: z.number().int() })
  .openapi("LoginDecision");

export const IdParam = z.object({ id: z.string().min(20).max(40) });
const WatchQuery = z.object({ watch: z.string().max(100).optional() });
const json = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true as const,
});
const ok = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
/** Read with the `watch` secret (the PC page) or a secret key. */
const watchOrKey = access.watch("logins:write");

export const createLoginRoute = createRoute({
  method: "post",
  path: "/v1/logins",
  operationId: "createLogin",
  tags: ["logins"],
  summary: "Create a QR login (the PC page)",
  description: "A publishable key from an allowed origin (rate limited), or a secret key.",
  security: access.create("logins:write"),
  middleware: [requireKey("logins:write", { publishable: "create" })] as const,
  request: { body: json(CreateLogin) },
  responses: {
    201: ok("The login; `watch` is shown once", CreatedLogin),
    ...errorResponses(400, 401, 403, 413, 415, 429),
  },
});

export const getLoginRoute = createRoute({
  method: "get",
  path: "/v1/logins/{id}",
  operationId: "getLogin",
  tags: ["logins"],
  summary: "A login's status; `?wait=N` long-polls",
  description:
    "`?watch=` or a secret key (never a publishable key). With `wait`, answers as soon as the status differs from `since` or more phones were refused than `other_scans` (defaults: as now); `ticket` while approved.",
  security: watchOrKey,
  request: {
    params: IdParam,
    query: WatchQuery.extend({
      wait: z.coerce.number().int().min(0).max(LIMITS.longPollSeconds).optional(),
      since: LoginStatusSchema.optional(),
      other_scans: z.coerce.number().int().min(0).optional(),
    }),
  },
  responses: { 200: ok("The login", Login), ...errorResponses(400, 401, 403, 404) },
});

export const loginEventsRoute = createRoute({
  method: "get",
  path: "/v1/logins/{id}/events",
  operationId: "watchLogin",
  tags: ["logins"],
  summary: "WebSocket of a login's status",
  description:
    'Sends `{"type":"status","status","at","device"?,"ticket"?}` on connect and on each change, `{"type":"warning","code":"second_scan"}` when another phone is refused; closes once approved or ended.',
  security: watchOrKey,
  request: { params: IdParam, query: WatchQuery },
  responses: {
    101: { description: "Switching protocols" },
    ...errorResponses(400, 401, 403, 404, 426),
  },
});

export const scanLoginRoute = createRoute({
  method: "post",
  path: "/v1/logins/scan",
  operationId: "scanLogin",
  tags: ["logins"],
  summary: "The app scanned a login QR: who is asking",
  description:
    "No key: the signed link is the capability. The first scan wins; later ones get `409 already_scanned` (the PC is warned). Rate limited per IP.",
  security: access.public,
  request: { body: json(z.object({ url: z.string().min(1).max(2048) }).openapi("ScanLogin")) },
  responses: {
    200: ok("Show this before asking to log in", ScannedLogin),
    ...errorResponses(400, 404, 409, 410, 413, 415, 429),
  },
});

export const approveLoginRoute = createRoute({
  method: "post",
  path: "/v1/logins/{id}/approve",
  operationId: "approveLogin",
  tags: ["logins"],
  summary: "Approve the login (the company's backend)",
  description:
    "Secret key with `logins:write`. `409 proximity_failed` (the login is then denied) when a policy is not met.",
  security: access.secret("logins:write"),
  request: { params: IdParam, body: json(ApproveLogin) },
  responses: {
    200: ok("Approved: the PC page gets its ticket", Decided),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415),
  },
});

export const denyLoginRoute = createRoute({
  method: "post",
  path: "/v1/logins/{id}/deny",
  operationId: "denyLogin",
  tags: ["logins"],
  summary: "Deny the login (the app with its scan handle, or the backend)",
  description:
    "The app needs no key: its `scan` handle is the credential (rate limited per IP). The backend sends its secret key.",
  security: access.optional("logins:write"),
  request: { params: IdParam, body: json(DenyLogin) },
  responses: {
    200: ok("Denied", Decided),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429),
  },
});

export const exchangeLoginRoute = createRoute({
  method: "post",
  path: "/v1/logins/exchange",
  operationId: "exchangeLoginTicket",
  tags: ["logins"],
  summary: "Exchange the ticket for the user (the PC's backend)",
  description:
    "Secret key. Exactly once (`409` after); a wrong `code_verifier` → `400 invalid_grant` and the ticket is burnt; tickets live 60 s.",
  security: access.secret("logins:write"),
  request: { body: json(ExchangeLogin) },
  responses: {
    200: ok("Who logged in", ExchangedLogin),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429),
  },
});
