import { APPROVAL_LIMITS, LOGIN_TTL } from "../../core/login";
import type { ReferenceWords } from "./types";

export const loginsReference: ReferenceWords = {
  operations: {
    "POST /v1/logins/scan": {
      summary: "The app scanned a login QR: who is asking",
      description:
        "No key: the signed link is the capability. The first scan wins; later ones get `409 already_scanned` (the PC is warned) — except the first scanner's retry with the `claim` it sent, while the login is `scanned`: `200` again with the same `scan` handle (derived from the claim), no warning. Rate limited per IP.",
    },
    "POST /v1/logins/{id}/approve": {
      summary: "Approve the login (the company's backend)",
      description:
        "Secret key with `logins:write`. The same approval again (same `scan`, `subject`, `claims`, key) answers `200` and changes nothing. `409 proximity_failed` (the login is then denied) when a policy is not met.",
    },
    "POST /v1/logins/{id}/deny": {
      summary: "Deny the login (the app with its scan handle, or the backend)",
      description:
        "The app needs no key: its `scan` handle is the credential (rate limited per IP). The backend sends its secret key. A deny of a login already denied answers `200` and changes nothing; without a key, a wrong `scan` is `403` in every state.",
    },
    "POST /v1/logins/exchange": {
      summary: "Exchange the ticket for the user (the PC's backend)",
      description:
        "Secret key. Exactly once (`409` after); a wrong `code_verifier` → `400 invalid_grant` and the ticket is burnt; tickets live 60 s. `approved_by` in the body: refused with `403` (ticket kept) unless one of those keys approved.",
    },
    "POST /v1/logins": {
      summary: "Create a QR login (the PC page)",
      description: "A publishable key from an allowed origin (rate limited), or a secret key.",
    },
    "GET /v1/logins/{id}": {
      summary: "A login's status; `?wait=N` long-polls",
      description:
        "`?watch=` or a secret key (never a publishable key). With `wait`, answers as soon as the status differs from `since` or more phones were refused than `other_scans` (defaults: as now); `ticket` while approved.",
    },
    "GET /v1/logins/{id}/events": {
      summary: "WebSocket of a login's status",
      description:
        'Sends `{"type":"status","status","at","device"?,"ticket"?}` on connect and on each change, `{"type":"warning","code":"second_scan"}` when another phone is refused; closes once approved or ended.',
    },
  },
  schemas: {
    ScanLogin: {
      fields: {
        claim: {
          description:
            "A secret the app chose (≥ 16 characters, e.g. 128 random bits, base64url), sent on the first call and on every retry: if the 200 was lost, the same claim gets `200` again while the login is `scanned`, with the same `scan` handle (derived from the claim, so every try gets the one that works; no second scan, no warning to the PC). Anyone else — no claim, another claim — gets `409 already_scanned`. Only its SHA-256 is stored, until the login is decided.",
        },
      },
    },
    ScannedLogin: {
      fields: {
        scan: {
          description:
            "Handle for approve/deny. Shown once; a retry with the first scan's `claim` gets a fresh one that replaces it.",
        },
        expires_at: {
          description: "Unix ms: approve before this",
        },
        requester: {
          description: "The computer asking to log in",
        },
        created_by: {
          description:
            "Who made the login: `server`, a secret key (your backend); `page`, a publishable key — public, so anyone can make such a login with any `metadata` and show its QR to your user. Show `metadata` as your words on the approval screen only when `server`; else a generic text. Null for logins made before this field existed.",
        },
      },
    },
    LoginRequester: {
      description: "The computer asking to log in",
      fields: {
        origin: {
          description: "The page's Origin (trust it only from browsers)",
        },
      },
    },
    LoginProximity: {
      fields: {
        same_network: {
          description: "Same IPv4 /24 or IPv6 /48 (compared as salted hashes); null: unknown",
        },
        distance_km: {
          description: "Between the two `request.cf` locations; absent or null: unknown",
        },
      },
    },
    ApproveLoginRequest: {
      fields: {
        subject: {
          description: "Your user id: what the exchange hands to the PC's backend",
        },
        claims: {
          description: `Any JSON object (≤ ${APPROVAL_LIMITS.claimsBytes} bytes)`,
        },
      },
    },
    ExchangedLogin: {
      fields: {
        approved_by: {
          description:
            "Id of the key that approved (`key_…`, or `admin`); null for a login approved before the bridge kept it",
        },
      },
    },
    ExchangeLoginRequest: {
      fields: {
        approved_by: {
          description:
            "Key id(s) you accept as the approver (your login service's `key_…`, or `admin`). When given and the login was approved by another key, `403 forbidden` (`details.reason: approver_mismatch`) and the ticket is left as it was",
          example: "key_0123456789abcdef",
        },
      },
    },
    CreatedLogin: {
      fields: {
        url: {
          description: "The link the QR carries (uppercase, /L/…)",
        },
        expires_at: {
          description: "Unix ms: the QR stops working",
        },
        watch: {
          description: "Secret for reading/watching. Shown once.",
        },
        events_url: {
          description: "WebSocket URL with the watch secret",
        },
      },
    },
    CreateLoginRequest: {
      fields: {
        code_challenge: {
          description:
            "PKCE S256: base64url(SHA-256(code_verifier)); the verifier stays in the page",
          example: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        },
        ttl: {
          description: `Seconds the QR lives, ${LOGIN_TTL.min}–${LOGIN_TTL.max} (default ${LOGIN_TTL.default})`,
        },
        metadata: {
          description:
            "Strings returned to the app with the requester (e.g. `site`), with `created_by`: from a publishable key they are anyone's words, and the app shows them as yours only from a secret key",
          example: { site: "Acme web" },
        },
        client: {
          description:
            "Secret keys only: the PC's browser as your backend saw it, when the backend creates the login for it",
        },
      },
    },
    Login: {
      fields: {
        deadline: {
          description: "Unix ms: deadline of the current state (null once ended)",
        },
        scanned_at: {
          description: "Unix ms",
        },
        other_scans: {
          description: "Later scans refused (a warning)",
        },
        approved_at: {
          description: "Unix ms",
        },
        exchanged_at: {
          description: "Unix ms",
        },
        ended_at: {
          description: "Unix ms",
        },
        created_by: {
          description:
            "Who made the login: `server` (a secret key, or the admin key) or `page` (a publishable key, whose `metadata` may be anyone's words); null for logins made before this field existed",
        },
        approved_by: {
          description:
            "Secret keys only (absent for the watch secret): id of the key that approved (`key_…`, or `admin`); null until approved",
        },
        ticket: {
          description: "While approved: the one-time ticket",
        },
        changed: {
          description: "Long-poll only",
        },
      },
    },
    LoginApprover: {
      description: "The phone that scanned",
    },
  },
};
