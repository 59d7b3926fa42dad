/**
 * OpenAPI/zod schemas of the QR login API's bodies (`/v1/logins…`): what each call takes and
 * answers. The operations that use them (paths, access, responses): login-operations.ts.
 * Times are unix ms. The flow and threat model: docs/logins.md.
 */
import { z } from "@hono/zod-openapi";
import { APPROVAL_LIMITS, LOGIN_TTL } from "../core/login";
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
    approved_by: z.string().nullable().optional().openapi({
      description:
        "Secret keys only (absent for the watch secret): id of the key that approved (`key_…`, or `admin`); null until approved",
    }),
    ticket: z.string().optional().openapi({ description: "While approved: the one-time ticket" }),
    changed: z.boolean().optional().openapi({ description: "Long-poll only" }),
  })
  .openapi("Login");

export const ScanLogin = z.object({ url: z.string().min(1).max(2048) }).openapi("ScanLogin");

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

const KeyId = z.string().min(1).max(64);

export const ExchangeLogin = z
  .object({
    ticket: z.string().min(1).max(100),
    code_verifier: z.string().min(1).max(256),
    approved_by: z
      .union([KeyId, z.array(KeyId).min(1).max(10)])
      .optional()
      .openapi({
        description:
          "Key id(s) you accept as the approver (your login service's `key_…`, or `admin`). When given and the login was approved by another key, `403 forbidden` (`details.reason: approver_mismatch`) and the ticket is left as it was",
        example: "key_0123456789abcdef",
      }),
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
    approved_by: text.openapi({
      description:
        "Id of the key that approved (`key_…`, or `admin`); null for a login approved before the bridge kept it",
    }),
  })
  .openapi("ExchangedLogin");

export const Decided = z
  .object({ id: z.string(), status: LoginStatusSchema, at: z.number().int() })
  .openapi("LoginDecision");
