import type { ReferenceWords } from "./types";

export const keysReference: ReferenceWords = {
  operations: {
    "POST /v1/keys": {
      summary: "Mint an API key (admin key only)",
      description:
        "With `store_id`, a store key: it reads only that store's funnel, raw hops and names (another `store_id` in a query is `403`, `details.reason` `store_scope`; once its store is deleted it reads nothing, `store_deleted`). A store key is a secret key whose only scope is `stats:read`: any other scope acts across every store.",
    },
    "GET /v1/keys": {
      summary: "List API keys (never their text)",
    },
    "DELETE /v1/keys/{id}": {
      summary: "Revoke an API key",
      description:
        "At once on the isolate that answers, within 30 s on every other (each caches a key's lookup that long). Also ends a rolled key's grace early.",
    },
    "POST /v1/keys/{id}/roll": {
      summary: "Roll an API key: a new key with the same settings, the old one ending later",
      description:
        "The new key (shown once) has the old one's name, kind, scopes, origins, store and `expires_at`. The old key keeps working for `expires_in` seconds (default 86,400; 0: it ends now), then is refused with `401 key_expired`; its `last_used_at` shows whether anything still calls it. A key is rolled once: rolling it again is `409` (`details.reason` `rolled`, `details.rolled_to` the successor) — roll the successor, or revoke the old key to end its grace now. A revoked or expired key is `409` (`reason` `revoked`, `expired`); two rolls at once: one wins, the other is `409` (`reason` `changed`). Another isolate that cached the old key sees the roll within 30 s, so a grace under 30 s may end up to 30 s late there.",
    },
    "PATCH /v1/keys/{id}": {
      summary: "Edit an API key: its name, a publishable key's origins, fewer scopes",
      description:
        "`origins` only for a publishable key (at least one, as at minting). `scopes` only narrows: a subset of the key's scopes (more needs a new key). Effective at once on the isolate that answers and within 30 s on every other (the lookup cache), as a revocation; console sessions read the key on every use. A revoked, rolled or expired key is `409` (`details.reason`).",
    },
  },
  schemas: {
    IdempotencyKey: {
      description:
        "`Idempotency-Key` of a create: 1–255 visible ASCII characters. The same key (per API key, for 24 h) with the same request (method, path with query, body) replays the first answer with `Idempotent-Replayed: true` and creates nothing; with another request `422 idempotency_key_reused`; while the first runs `409 idempotency_in_progress` (`Retry-After`). A failed first request keeps nothing. Ignored for a publishable key.",
    },
    ApiKey: {
      fields: {
        store_id: {
          description: "A store key's store: the one store it reads. Null: every store",
        },
        store_name: {
          description: "The name of a store key's store; null without one, or once it was deleted",
        },
        last_used_at: {
          description:
            "When the key last authenticated a request (unix ms), written at most once an hour: up to an hour behind. Null: not used since migration 0016",
        },
        expires_at: {
          description:
            "From when the key is refused (`401 key_expired`), unix ms: a temporary key, or a rolled key's end of grace. Null: until revoked",
        },
        rolled_to: {
          description: "The key a roll made to replace this one; null: not rolled",
        },
        rolled_from: {
          description:
            "The key this one was rolled from; null: minted. While both work, each watches and steers the handoffs the other created",
        },
      },
    },
    RolledApiKey: {
      fields: {
        previous: {
          description: "The old key after the roll: its `expires_at` and `rolled_to`",
        },
      },
    },
    RollKeyRequest: {
      fields: {
        expires_in: {
          description:
            "How long the old key keeps working, seconds: 0 (it ends now) to 604,800 (7 days); default 86,400 (a day)",
          example: 3600,
        },
      },
    },
    PatchKeyRequest: {
      fields: {
        scopes: {
          description: "Fewer scopes: a subset of the key's (an edit never widens a key)",
        },
        origins: {
          description: "A publishable key's allowed origins, replacing them (at least one)",
          items: { example: "https://shop.example.com" },
        },
      },
    },
    CreatedApiKey: {
      fields: {
        key: {
          description: "The key. Shown once; store it now.",
        },
      },
    },
    Error: {
      fields: {
        error: {
          example: "validation_failed",
        },
        message: {
          example: "ttl: Too big: expected number to be <=900",
        },
        details: {
          description:
            "For `validation_failed`: `field` (the first failing field, or an unknown query parameter) and `fields` (`[{field, message}]`, every one)",
        },
      },
    },
    CreateKeyRequest: {
      fields: {
        store_id: {
          description:
            'Hold the key to this existing store: it then reads only that store\'s stats. Needs `kind` `secret` and `scopes` `["stats:read"]`',
          example: "st_0k3m9x2q7a1b",
        },
        origins: {
          items: {
            example: "https://shop.example.com",
          },
        },
        expires_at: {
          description:
            "A temporary key: refused from this time on (unix ms, in the future) with `401 key_expired`",
        },
      },
    },
  },
};
