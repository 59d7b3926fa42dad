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
    "GET /v1/audit-log": {
      summary: "Who changed what, through the API or the console (admin key)",
      description:
        "One entry per successful change (posters, stores, campaigns, keys, webhooks, dead-letter replays), newest first. Handoffs, logins, scans and app events are traffic, not changes: they are in the hop log. Kept `QB_AUDIT_RETENTION_DAYS` (default 400).",
      query: {
        subject_type: { description: "Only changes of this kind of subject" },
        subject_id: { description: "Only changes of this subject (with `subject_type`)" },
        actor: { description: "Only changes by this key id (`key_…`, or `admin`)" },
        from: { description: "Only changes at or after this time (unix ms)" },
        to: { description: "Only changes before this time (unix ms)" },
        limit: { description: "Entries per page, 1–200 (default 50)" },
        cursor: { description: "`next_cursor` of the previous page" },
      },
    },
  },
  schemas: {
    AuditEntry: {
      fields: {
        actor: { description: "The key that made the change: its id (`key_…`), or `admin`" },
        via: {
          description: "`console`: through a dashboard session of that key; `api`: a bearer key",
        },
        action: { example: "poster.update" },
        changes: {
          description:
            "The fields the change set and, for those that are not free-form or long, their new values. Never a secret, key text, webhook secret or URL path, or a store's metadata",
        },
      },
    },
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
