import { DASHBOARD_CSV_ROWS, MAX_EXPORT_OBJECTS } from "../response-limits";
import { FUNNEL_QUERY, RANGE_QUERY } from "./stats";
import type { ReferenceWords } from "./types";

export const dashboardReference: ReferenceWords = {
  operations: {
    "GET /dashboard": {
      summary: "The funnel dashboard (the sign-in form without a session)",
    },
    "POST /dashboard/login": {
      summary: "Exchange an API key (stats:read) for a dashboard session cookie",
    },
    "POST /dashboard/logout": {
      summary: "End the dashboard session (the form carries the session's CSRF token as `csrf`)",
    },
    "GET /dashboard/api/funnel": {
      summary: "The funnel for the dashboard (session cookie; same as /v1/stats/funnel)",
      query: FUNNEL_QUERY,
    },
    "GET /dashboard/api/hops.csv": {
      summary: `A page of the raw hops of the range as CSV (session cookie; up to ${DASHBOARD_CSV_ROWS} rows, or ${MAX_EXPORT_OBJECTS} archive objects; \`X-Next-Cursor\` names the next page, which the console follows)`,
      query: RANGE_QUERY,
    },
    "GET /dashboard/api/labels": {
      summary: "Names of stores, campaigns, posters and in-app browsers for the filters and charts",
    },
    "GET /console": {
      summary: "The console under the name people type: a redirect to /dashboard",
    },
    "GET /dashboard/assets/{file}": {
      summary:
        "The console's script, its stylesheet, or a language's words for it (content-hashed names; cached for a year)",
    },
    "GET /dashboard/{section}": {
      summary:
        "A console page: stores, campaigns, posters, the CSV import, webhooks, API keys or dead letters",
    },
    "GET /dashboard/{section}/{id}": {
      summary: "A console page of one store, campaign, poster or webhook endpoint",
    },
  },
  schemas: {
    DashboardLabels: {
      fields: {
        in_app: {
          description: "The in-app browsers the funnel knows, by the id its `in_app` groups carry",
        },
      },
    },
  },
};
