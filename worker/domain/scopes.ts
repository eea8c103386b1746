/** What an API token may do (CONTRACT §1, §7). */
export const SCOPES = ["export", "contact", "originals", "review"] as const;
export type Scope = (typeof SCOPES)[number];
