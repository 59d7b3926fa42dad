/**
 * The words the server writes on a console page in English: the frame (navigation, language
 * switch, sign-in, notices) and the funnel page's filters, cards and headings. The script's
 * words are src/client/console/words/en.js. Every other language's file has the same keys (the
 * type checker makes sure) and the same `{placeholders}` (test/unit/console-langs.test.ts).
 */
export const EN = {
  /** The language's name in itself, as the language switch offers it. */
  name: "English",
  shell: {
    funnel: "Funnel",
    stores: "Stores",
    campaigns: "Campaigns",
    posters: "Posters",
    import: "Import CSV",
    webhooks: "Webhooks",
    keys: "API keys",
    "dead-letters": "Dead letters",
    "audit-log": "Audit log",
    signOut: "Sign out",
    skip: "Skip to content",
    console: "Console",
    language: "Language",
    signIn: "Sign in",
    signInLead:
      "Use a secret API key with the stats:read scope (qb_sk_…) or the admin key. It is exchanged for a session cookie and not kept in the browser. What you can change here is what the key's scopes allow.",
    key: "API key",
    noScript: "The console needs JavaScript; the API at /v1 does everything it does.",
    needs: "This key cannot open this page: it needs the {scope} scope.",
    needsAdmin: "Only a session opened with the admin key can open this page.",
    "error.invalid": "That key is not valid or has been revoked.",
    "error.expired":
      "That key expired on {when}: it no longer opens anything. Ask whoever manages your keys for a new one.",
    "error.publishable": "Publishable keys cannot open the dashboard; use a secret key.",
    "error.scope": "This key lacks the stats:read scope.",
    "error.origin": "Sign in from this site's own page.",
    "error.signout": "Sign out from this site's own page.",
  },
  funnel: {
    from: "From",
    to: "To",
    store: "Store",
    campaign: "Campaign",
    allStores: "All stores",
    allCampaigns: "All campaigns",
    poster: "Poster",
    allPosters: "All posters",
    apply: "Apply",
    csv: "Download CSV",
    loading: "Loading…",
    scans: "Scans",
    unique: "Unique scanners",
    opens: "App opens",
    conv: "Conversions",
    median: "Median scan → app",
    funnel: "Funnel",
    timeline: "Scans over time",
    topStores: "Top stores",
    topPosters: "Top posters",
    sources: "Handoffs, posters and QR logins",
    platforms: "Platforms",
    inapp: "In-app browsers",
  },
};

/** The server-written words of one console language (every language has every key). */
export interface ConsolePageWords {
  name: string;
  shell: Record<keyof typeof EN.shell, string>;
  funnel: Record<keyof typeof EN.funnel, string>;
}
