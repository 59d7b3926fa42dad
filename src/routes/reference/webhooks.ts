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
    WebhookDeliveryDetail: {
      fields: {
        payload: {
          description: "The exact body sent",
        },
      },
    },
  },
};
