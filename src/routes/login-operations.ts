/**
 * The OpenAPI operations of the QR login API (`/v1/logins…`): method, path, who may call each
 * and what it takes and answers, with the bodies of login-schemas.ts. routes/logins.ts (the PC
 * page's create, read and watch) and routes/login-steps.ts (scan, approve, deny, exchange)
 * register them with their handlers. The flow and threat model: docs/logins.md.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LIMITS } from "../limits";
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
  security: access.secret("logins:write"),
  request: { body: json(ExchangeLogin) },
  responses: {
    200: ok("Who logged in", ExchangedLogin),
    ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429),
  },
});
