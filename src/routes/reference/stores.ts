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
      },
    },
    CreateStoreRequest: {
      fields: {
        ref: {
          description: "Your own store number or code",
        },
      },
    },
    PatchStoreRequest: {
      fields: {
        ref: {
          description: "Your own store number or code",
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
