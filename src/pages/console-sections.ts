/**
 * The console's sections (`/dashboard/<section>`), in the order its navigation lists them. A
 * module of its own: the route that serves the pages needs the list, not the console's renderer
 * (which is in the browser kit, loaded only when a page is drawn).
 */
export const CONSOLE_SECTIONS = [
  "stores",
  "campaigns",
  "posters",
  "import",
  "webhooks",
  "keys",
  "dead-letters",
  "audit-log",
] as const;
