/**
 * OpenAPI/zod schemas of the QR login API's bodies (`/v1/logins…`): what each call takes and
 * answers. The operations that use them (paths, access, responses): login-operations.ts.
 * Times are unix ms. The flow and threat model: docs/logins.md. Their descriptions and examples:
 * reference/logins.ts.
 */
import { z } from "@hono/zod-openapi";
import { APPROVAL_LIMITS } from "../core/login";
import { LOGIN_STATUSES } from "../core/login-record";
import { CODE_CHALLENGE_PATTERN } from "../core/login-ticket";
import { ownKeys, QrLinks } from "./schemas";

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
    // Its own schema, not the shared `text`: it has words of its own in the reference.
    origin: z.string().nullable(),
  })
  .openapi("LoginRequester");

const Approver = z
  .object({ platform: z.string(), os: text, browser: text, country: text, city: text })
  .openapi("LoginApprover");

const Proximity = z
  .object({
    same_network: z.boolean().nullable(),
    distance_km: z.number().int().nullable().optional(),
  })
  .openapi("LoginProximity");

// Its own schema per answer: each has its own description in the reference (routes/reference/).
const createdBy = () => z.enum(["server", "page"]).nullable();

const Metadata = ownKeys(z.record(z.string(), z.string()));
// A fresh schema per field: each has its own description in the reference (routes/reference/).
const ms = () => z.number().int().nullable();

export const CreateLogin = z
  .object({
    code_challenge: z.string().regex(CODE_CHALLENGE_PATTERN, "base64url SHA-256, 43 characters"),
    code_challenge_method: z.literal("S256").optional(),
    ttl: z.number().int().optional(),
    metadata: Metadata.optional(),
    client: z
      .object({
        user_agent: z.string().max(512).optional(),
        ip: z.string().max(64).optional(),
        origin: z.string().max(200).optional(),
      })
      .optional(),
  })
  .openapi("CreateLoginRequest");

export const CreatedLogin = z
  .object({
    id: z.string(),
    url: z.string(),
    qr: QrLinks,
    expires_at: z.number().int(),
    watch: z.string(),
    events_url: z.string(),
    status: LoginStatusSchema,
  })
  .openapi("CreatedLogin");

export const Login = z
  .object({
    id: z.string(),
    status: LoginStatusSchema,
    metadata: z.record(z.string(), z.string()).nullable(),
    created_by: createdBy(),
    requester: Requester,
    created_at: z.number().int(),
    expires_at: z.number().int(),
    deadline: ms(),
    scanned_at: ms(),
    approver: Approver.nullable(),
    proximity: Proximity.nullable(),
    other_scans: z.number().int(),
    approved_at: ms(),
    exchanged_at: ms(),
    ended_at: ms(),
    denied_by: z.enum(["app", "backend", "policy"]).nullable(),
    denied_reason: text,
    approved_by: z.string().nullable().optional(),
    ticket: z.string().optional(),
    changed: z.boolean().optional(),
  })
  .openapi("Login");

export const ScanLogin = z
  .object({
    url: z.string().min(1).max(2048),
    // A handoff redemption's claim, same limits (routes/resolve.ts).
    claim: z.string().min(16).max(100).optional(),
  })
  .openapi("ScanLogin");

export const ScannedLogin = z
  .object({
    id: z.string(),
    scan: z.string(),
    expires_at: z.number().int(),
    requester: Requester.extend({ created_at: z.number().int() }),
    proximity: Proximity,
    metadata: z.record(z.string(), z.string()).nullable(),
    created_by: createdBy(),
  })
  .openapi("ScannedLogin");

export const ApproveLogin = z
  .object({
    scan: z.string().min(16).max(100),
    subject: z.string().min(1).max(APPROVAL_LIMITS.subject),
    claims: ownKeys(z.record(z.string(), z.unknown())).optional(),
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

const KeyId = z.string().min(1).max(64);

export const ExchangeLogin = z
  .object({
    ticket: z.string().min(1).max(100),
    code_verifier: z.string().min(1).max(256),
    approved_by: z.union([KeyId, z.array(KeyId).min(1).max(10)]).optional(),
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
    // Its own schema, not the shared `text`: it has words of its own in the reference.
    approved_by: z.string().nullable(),
  })
  .openapi("ExchangedLogin");

export const Decided = z
  .object({ id: z.string(), status: LoginStatusSchema, at: z.number().int() })
  .openapi("LoginDecision");
