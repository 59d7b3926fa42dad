import type { ReferenceWords } from "./types";

export const webhooksReference: ReferenceWords = {
  operations: {
    "POST /v1/webhooks": {
      summary: "Register a webhook endpoint (its signing secret is shown once)",
    },
    "GET /v1/webhooks": {
      summary: "List active webhook endpoints (never their secret)",
    },
    "GET /v1/webhooks/{id}": {
      summary: "One endpoint (active or deleted), with how many deliveries it holds",
      description:
        "`held` counts the deliveries held now (paused, or resumed and not yet all released); `hold_expired` what the current or last pause did not keep: held over 7 days, or the oldest over 100,000, marked `expired` by the hourly cron. Read those events from the hop export (`GET /v1/hops`) between `from` and `to`.",
    },
    "PATCH /v1/webhooks/{id}": {
      summary: "Change an endpoint in place: URL, events, description; pause or resume it",
      description:
        "The endpoint keeps its id, its secret and its delivery log. A new `url` is checked as at registration (https to a public host). `enabled: false` pauses it: events are still recorded, as deliveries `held` (their tries kept), and nothing is sent but test pings; a delivery held over 7 days, or the oldest over 100,000 held, is marked `expired` (not sent) by the hourly cron and counted in `hold_expired`. `enabled: true` resumes it and sends each held delivery once; `released` says how many this call released. Retry on a paused endpoint answers `409`.",
    },
    "POST /v1/webhooks/{id}/rotate-secret": {
      summary:
        "Give an endpoint a new signing secret (shown once); the old one keeps signing for a while",
      description:
        "Until `previous_secret_expires_at`, every delivery is signed with both secrets: `webhook-signature` carries `v1,<new> v1,<old>` and `QB-Signature` a `v1=` for each, so a receiver holding either verifies. At most two secrets sign: rotating again during a window ends the oldest now. Send an `Idempotency-Key` to retry a rotation whose answer was lost without rotating twice.",
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
    Webhook: {
      fields: {
        enabled: {
          description:
            "False while paused: deliveries are recorded `held` and sent, each once, when it is resumed",
        },
        paused_at: {
          description: "When it was paused (unix ms); null while enabled",
        },
        paused_reason: {
          description:
            "Why it is paused: `manual` (`PATCH {enabled: false}`) or `failing` (the circuit breaker: no successful attempt for `QB_WEBHOOK_BREAKER_HOURS` and at least `QB_WEBHOOK_BREAKER_FAILURES` failed ones, paused by the hourly cron; resume it once the receiver is back); null while enabled",
          example: "failing",
        },
        failing_since: {
          description:
            "When its receiver started failing (unix ms): the first failed attempt since the last success; null once one succeeds or it is resumed",
        },
        previous_secret_expires_at: {
          description:
            "During a secret rotation, when the replaced secret stops signing beside the new one (unix ms); else null",
        },
        hold_expired: {
          description:
            "What the current or last pause did not keep: `count` deliveries marked `expired` (held over 7 days, or the oldest over 100,000), their events created from `from` to `to` (unix ms), to read in the hop export; null when it kept everything. A new pause starts it afresh.",
        },
      },
    },
    WebhookView: {
      fields: {
        held: {
          description: "Deliveries held now, to be sent each once on resume",
          example: 1204,
        },
      },
    },
    PatchedWebhook: {
      fields: {
        released: {
          description:
            "On a resume: held deliveries this call released to be sent (at most 10,000; with a queue the rest follow through it, 10,000 a minute, else the hourly cron releases them)",
          example: 1204,
        },
      },
    },
    PatchWebhookRequest: {
      fields: {
        url: {
          description: "The new receiver URL, checked as at registration",
          example: "https://api.example.com/qrbridge/v2",
        },
        events: {
          description: "The event types it now subscribes to (replaces the list)",
          example: ["handoff.redeemed", "conversion", "poster.scanned"],
        },
        description: {
          description: "A label for people; null clears it",
        },
        enabled: {
          description:
            "false pauses it (deliveries held, not sent), true resumes it (held deliveries sent once each)",
        },
      },
    },
    RotateWebhookSecretRequest: {
      fields: {
        expires_in: {
          description:
            "Seconds the replaced secret keeps signing beside the new one: 0 stops it now (a leaked secret), at most 604800 (7 days); default 86400",
          example: 86400,
        },
      },
    },
    RotatedWebhookSecret: {
      fields: {
        secret: {
          description:
            "The new signing secret (`whsec_` + base64 of 32 bytes). Shown once; store it now.",
        },
        previous_secret_expires_at: {
          description:
            "When the replaced secret stops signing (unix ms); null with `expires_in: 0`",
          example: 1767312000000,
        },
      },
    },
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
            "When the next try is due (unix ms): the creation time while `pending`, then the end of the last failed try plus the backoff (30 s, 1 min, 2 min … capped at 1 h). Null once `delivered`, `failed` or `expired`, and while `held`. Without a `WEBHOOKS` queue the hourly cron sends it at its first run from then.",
          example: 1767225630000,
        },
        attempts_left: {
          description:
            "Tries left before the delivery is given up (`failed`): 0 once `delivered`, `failed` or `expired`; at least 1 while `pending` or `retrying` (a delivery sent again after giving up gets one more try)",
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
