import type { ReferenceWords } from "./types";

export const webhooksReference: ReferenceWords = {
  operations: {
    "POST /v1/webhooks": {
      summary: "Register a webhook endpoint (its signing secret is shown once)",
    },
    "GET /v1/webhooks": {
      summary: "List active webhook endpoints (never their secret)",
    },
    "DELETE /v1/webhooks/{id}": {
      summary: "Delete (disable) an endpoint; its delivery log stays readable",
    },
    "GET /v1/webhooks/{id}/deliveries": {
      summary: "The delivery log of an endpoint, newest first",
    },
    "GET /v1/webhooks/{id}/deliveries/{delivery_id}": {
      summary: "One delivery: the body sent and every attempt",
    },
    "POST /v1/webhooks/{id}/deliveries/{delivery_id}/retry": {
      summary: "Send a delivery again (after it failed, or to replay it)",
      description:
        "Queues one try of the delivery now, whatever its status. While a try it queued is not yet made (the delivery is `pending`), another call answers the same `202` and queues nothing, so a double click or a repeated call never sends it twice at once; once that try was made, the next call is a new try. A delivery `pending` for over 15 minutes counts as lost and is queued again.",
    },
    "POST /v1/webhooks/{id}/test": {
      summary: "Send a `ping` event to check the receiver and its signature check",
    },
  },
  schemas: {
    CreatedWebhook: {
      fields: {
        secret: {
          description:
            "Signing secret (`whsec_` + base64 of 32 bytes) for QB-Signature and the Standard Webhooks headers. Shown once; store it now.",
        },
      },
    },
    CreateWebhookRequest: {
      fields: {
        url: {
          example: "https://api.example.com/qrbridge",
        },
        events: {
          example: ["handoff.redeemed", "conversion"],
        },
      },
    },
    WebhookDelivery: {
      fields: {
        attempts: {
          description: "Tries made so far (each is in the delivery's `attempt_log`)",
        },
        next_attempt_at: {
          description:
            "When the next try is due (unix ms): the creation time while `pending`, then the end of the last failed try plus the backoff (30 s, 1 min, 2 min … capped at 1 h). Null once `delivered` or `failed`. Without a `WEBHOOKS` queue the hourly cron sends it at its first run from then.",
          example: 1767225630000,
        },
        attempts_left: {
          description:
            "Tries left before the delivery is given up (`failed`): 0 once `delivered` or `failed`; at least 1 while `pending` or `retrying` (a delivery sent again after giving up gets one more try)",
          example: 6,
        },
      },
    },
    WebhookDeliveryDetail: {
      fields: {
        payload: {
          description: "The exact body sent",
        },
      },
    },
  },
};
