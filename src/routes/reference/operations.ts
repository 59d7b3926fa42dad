import type { ReferenceWords } from "./types";

export const operationsReference: ReferenceWords = {
  operations: {
    "GET /v1/dead-letters": {
      summary: "Queue messages that exhausted their retries (admin key)",
      query: {
        replayed: {
          description: "Include replayed ones",
        },
      },
    },
    "POST /v1/dead-letters/replay": {
      summary: "Send dead letters back (hops re-written idempotently, webhooks re-sent)",
    },
  },
  schemas: {
    DeadLetter: {
      fields: {
        envelope: {
          description:
            "A whole hop message's envelope id (the writer's id, else the queue message id): another copy of it counted while the letter waits makes its replay count nothing",
        },
      },
    },
  },
};
