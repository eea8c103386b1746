/**
 * How long each kind of stored data lives: every D1 table, every table of
 * the objects' own storage, every kind of key in the bucket. The README's
 * "Data lifecycle" table is written from this (`npm run docs`), and a test
 * lists what the storage really holds and fails on anything not here.
 */

export type Store = "D1" | "Recommendation object" | "Upload object" | "R2";

export interface Lifetime {
  store: Store;
  /** A table, or for R2 the prefix of its keys. */
  name: string;
  /** What it holds. */
  holds: string;
  /** How long, and what ends it. */
  kept: string;
}

const PURGE =
  "RETENTION_DAYS (365) after the recommendation closes, or 7 days after the submitter asked for erasure; a coordinator's hold stops both";

export const LIFETIMES: readonly Lifetime[] = [
  {
    store: "D1",
    name: "recommendations",
    holds: "each submission: the record in clear, its hashes, and its sealed fields (contact details, safety notes)",
    kept: `for ever; the sealed fields are emptied by the purge: ${PURGE}`,
  },
  {
    store: "D1",
    name: "recommendation_categories",
    holds: "the categories of each recommendation (an index)",
    kept: "as long as its recommendation",
  },
  {
    store: "D1",
    name: "recommendation_jurisdictions",
    holds: "the programmes asked for (an index)",
    kept: "as long as its recommendation",
  },
  {
    store: "D1",
    name: "queue",
    holds: "each recommendation's step, assignee and deadline, as its object last wrote them",
    kept: "as long as its recommendation",
  },
  { store: "D1", name: "counters", holds: "the yearly reference numbers", kept: "for ever" },
  {
    store: "D1",
    name: "attachments",
    holds: "each evidence file's name, type, size and SHA-256",
    kept: "for ever once attached (its original in R2 goes with the purge, the row stays marked purged); a file never attached: 24 hours, or as long as a draft holds it",
  },
  {
    store: "D1",
    name: "staff",
    holds: "staff accounts (email, role, password hash, TOTP secret sealed)",
    kept: "for ever: a disabled account stays (`npm run staff -- disable`), so the log's names stay readable",
  },
  {
    store: "D1",
    name: "sessions",
    holds: "staff sessions (the hash of the cookie)",
    kept: "until sign-out, an hour idle or 12 hours after sign-in; the Cron Trigger deletes ended ones",
  },
  {
    store: "D1",
    name: "api_tokens",
    holds: "the hash of each API token, its scopes and owner",
    kept: "for ever (revoked or expired tokens stay, so the audit log's names stay readable); the one a backup or restore makes for its run: deleted at its end (24 hours at most)",
  },
  {
    store: "D1",
    name: "inbox",
    holds: "what waits on each staff member (ids and kinds, no words)",
    kept: "until read, then 30 days",
  },
  {
    store: "D1",
    name: "mail_log",
    holds: "when each recipient was last mailed (a staff id or a recommendation id, never an address)",
    kept: "one row per recipient; a submitter's goes with the purge",
  },
  {
    store: "D1",
    name: "submitter_notices",
    holds: "a recommendation whose submitter has a message not yet mailed",
    kept: "until the mail goes out, or the purge",
  },
  {
    store: "D1",
    name: "idempotency",
    holds: "hashes of intake's idempotency keys",
    kept: "24 hours",
  },
  {
    store: "D1",
    name: "rate_limits",
    holds: "rate-limit counters under a keyed hash (never an address)",
    kept: "until their window ends (at most a day)",
  },
  {
    store: "D1",
    name: "audit",
    holds: "who downloaded, exported or packed what (a hash chain; never a sealed value)",
    kept: "for ever",
  },
  {
    store: "D1",
    name: "drafts",
    holds: "saved drafts of the public form, sealed",
    kept: "30 days after they were last saved",
  },
  {
    store: "D1",
    name: "list_entities",
    holds: "the sanctions lists' entities",
    kept: "until a later import of the list no longer has them",
  },
  {
    store: "D1",
    name: "name_keys",
    holds: "screening's name keys of listed entities and targets",
    kept: "as long as their entity or recommendation",
  },
  { store: "D1", name: "list_imports", holds: "each list import and its counts", kept: "for ever" },
  {
    store: "D1",
    name: "list_changes",
    holds: "what each import added, changed or removed",
    kept: "for ever",
  },
  { store: "D1", name: "list_staging", holds: "an import in progress", kept: "until the import ends" },
  { store: "D1", name: "list_staging_keys", holds: "an import in progress", kept: "until the import ends" },
  {
    store: "D1",
    name: "target_parties",
    holds: "each target as screening compares it",
    kept: "as long as its recommendation",
  },
  {
    store: "D1",
    name: "matches",
    holds: "what screening found for each target",
    kept: "until the next screening of its recommendation",
  },
  {
    store: "D1",
    name: "filings",
    holds: "filings with governments and their outcomes, as the object last wrote them",
    kept: "as long as its recommendation",
  },
  {
    store: "D1",
    name: "suggested_outcomes",
    holds: "a listed entity that may be a filed target's designation",
    kept: "until the filing is answered, or the entity leaves the lists",
  },
  {
    store: "D1",
    name: "search_index",
    holds: "the queue's full-text index of names, references and summaries",
    kept: "as long as its recommendation",
  },
  {
    store: "D1",
    name: "recommendation_names",
    holds: "the queue's index of every part of the targets' names (no copy: it reads them from `recommendations`)",
    kept: "as long as its recommendation's names, kept in step by triggers",
  },
  {
    store: "Recommendation object",
    name: "state",
    holds: "the workflow's state: step, approvals, filings, retention clock, hold",
    kept: "for ever",
  },
  {
    store: "Recommendation object",
    name: "events",
    holds: "the hash-chained event log (comments and messages included; never the sealed fields)",
    kept: "for ever",
  },
  {
    store: "Upload object",
    name: "upload",
    holds: "a resumable upload's progress and its sealing nonce",
    kept: "24 hours after its last byte, then deleted (the file's bytes are in R2)",
  },
  {
    store: "R2",
    name: "originals/",
    holds: "evidence files exactly as submitted, encrypted",
    kept: `until the purge: ${PURGE}; never attached: 24 hours`,
  },
  {
    store: "R2",
    name: "clean/",
    holds: "metadata-free copies of images, encrypted",
    kept: "for ever (never attached: 24 hours)",
  },
  {
    store: "R2",
    name: "pending/",
    holds: "the last, not yet full, part of a resumable upload, encrypted",
    kept: "until the upload finishes, or 24 hours after its last byte",
  },
  {
    store: "R2",
    name: "packets/",
    holds: "the submission document sent with a filing (no contact details)",
    kept: "for ever: what was sent, byte for byte",
  },
];

/** The lifecycle table as the README shows it. */
export function lifetimesTable(): string {
  return [
    "| where | what | holds | kept |",
    "| --- | --- | --- | --- |",
    ...LIFETIMES.map((l) => `| ${l.store} | \`${l.name}\` | ${l.holds} | ${l.kept} |`),
  ].join("\n");
}

export const LIFETIMES_START = "<!-- lifetimes:start -->";
export const LIFETIMES_END = "<!-- lifetimes:end -->";
