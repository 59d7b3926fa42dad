import type { ReferenceWords } from "./types";

export const keysReference: ReferenceWords = {
  operations: {
    "POST /v1/keys": {
      summary: "Mint an API key (admin key only)",
    },
    "GET /v1/keys": {
      summary: "List API keys (never their text)",
    },
    "DELETE /v1/keys/{id}": {
      summary: "Revoke an API key",
    },
  },
  schemas: {
    ApiKey: {
      fields: {
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
        origins: {
          items: {
            example: "https://shop.example.com",
          },
        },
      },
    },
  },
};
