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
      },
    },
  },
};
