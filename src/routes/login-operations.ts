/**
 * The OpenAPI operations of the QR login API (`/v1/logins…`): method, path, who may call each
 * and what it takes and answers, with the bodies of login-schemas.ts. routes/logins.ts (the PC
 * page's create, read and watch) and routes/login-steps.ts (scan, approve, deny, exchange)
 * register them with their handlers. The flow and threat model: docs/logins.md.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LIMITS } from "../config";
import { access } from "./access";
import {
  ApproveLogin,
  CreatedLogin,
  CreateLogin,
  Decided,
  DenyLogin,
  ExchangedLogin,
  ExchangeLogin,
  Login,
  LoginStatusSchema,
  ScanLogin,
  ScannedLogin,
} from "./login-schemas";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const IdParam = z.object({ id: z.string().min(20).max(40) });
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
  request: { body: json(ScanLogin) },
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
    "Secret key. Exactly once (`409` after); a wrong `code_verifier` → `400 invalid_grant` and the ticket is burnt; tickets live 60 s. `approved_by` in the body: refused with `403` (ticket kept) unless one of those keys approved.",
  security: access.secret("logins:write"),
  request: { body: json(ExchangeLogin) },
  responses: {
    200: ok("Who logged in", ExchangedLogin),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429),
  },
});
