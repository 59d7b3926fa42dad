import type { FieldsWords, ReferenceWords } from "./types";

/** The lists' text filter (stores and campaigns). */
const NAME_FILTER: FieldsWords = {
  q: {
    description: "Only those whose name (for stores also `ref` or `address`) contains this text",
  },
};

export const storesReference: ReferenceWords = {
  operations: {
    "POST /v1/stores": {
      summary: "Create a store",
    },
    "GET /v1/stores": {
      summary: "List stores, newest first",
      query: NAME_FILTER,
    },
    "GET /v1/stores/{id}": {
      summary: "Read a store",
    },
    "PATCH /v1/stores/{id}": {
      summary: "Change a store",
    },
    "DELETE /v1/stores/{id}": {
      summary: "Delete a store no poster refers to",
    },
    "GET /v1/campaigns": {
      summary: "List campaigns (created by posters that name them), newest first",
      query: NAME_FILTER,
    },
    "POST /v1/campaigns": {
      summary: "Create a campaign by name (posters naming it later join it)",
    },
    "GET /v1/campaigns/{id}": {
      summary: "Read a campaign",
    },
  },
  schemas: {
    Store: {
      fields: {
        id: {
          example: "st_0k3m9x2q7a1b",
        },
        time_zone: {
          description:
            "The store's own time zone (IANA, e.g. `America/Los_Angeles`): its posters' hops count on its local days. `null`: the deployment's (`QB_REPORTING_TIME_ZONE`). A change applies to hops recorded from then on; an unknown zone is a `400` naming `time_zone`",
          example: "Asia/Tokyo",
        },
      },
    },
    CreateStoreRequest: {
      fields: {
        ref: {
          description: "Your own store number or code",
        },
        time_zone: {
          description:
            "The store's own time zone (IANA, e.g. `America/Los_Angeles`): its posters' hops count on its local days. `null`: the deployment's (`QB_REPORTING_TIME_ZONE`). A change applies to hops recorded from then on; an unknown zone is a `400` naming `time_zone`",
          example: "Asia/Tokyo",
        },
      },
    },
    PatchStoreRequest: {
      fields: {
        ref: {
          description: "Your own store number or code",
        },
        time_zone: {
          description:
            "The store's own time zone (IANA, e.g. `America/Los_Angeles`): its posters' hops count on its local days. `null`: the deployment's (`QB_REPORTING_TIME_ZONE`). A change applies to hops recorded from then on; an unknown zone is a `400` naming `time_zone`",
          example: "Asia/Tokyo",
        },
      },
    },
    Campaign: {
      fields: {
        id: {
          example: "cp_0k3m9x2q7a1b",
        },
      },
    },
  },
};
