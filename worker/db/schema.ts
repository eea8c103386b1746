import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * D1 holds what is queried across recommendations. The Durable Object of each
 * recommendation owns its step and event log; `queue` is the projection of
 * that state which the object writes after every accepted action.
 */

export const recommendations = sqliteTable(
  "recommendations",
  {
    // Monotonic: keyset cursors page on it, so rows added during paging land after the cursor.
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    reference: text("reference").notNull().unique(),
    language: text("language").notNull(),
    createdAt: text("created_at").notNull(),
    receiptHash: text("receipt_hash").notNull().unique(),
    targetKind: text("target_kind").notNull(),
    targetName: text("target_name").notNull(),
    targetNameLatin: text("target_name_latin"),
    /** Every target's name and Latin spelling, a line each: the queue's search finds any of them. */
    targetNames: text("target_names"),
    submitterCountry: text("submitter_country").notNull(),
    conductCountry: text("conduct_country").notNull(),
    /** The submission without its sensitive fields, as JSON. */
    record: text("record").notNull(),
    /** The sensitive fields (contact details, safety notes), encrypted (security/crypto.ts). */
    sealed: text("sealed").notNull(),
    /** When the retention period (or the submitter's erasure) emptied `sealed`. */
    purgedAt: text("purged_at"),
    /**
     * The data of the first event of the recommendation's log (its content
     * hash and its files' hashes), fixed at intake, so the object can be
     * opened from this row alone, whenever that happens. Null before custody.
     */
    genesis: text("genesis"),
    /** When its targets were last screened (lists and other recommendations); null: not yet. */
    screenedAt: text("screened_at"),
    /** The submitter's risk level (low, medium, high), for the queue's column and sort. */
    risk: text("risk"),
  },
  (t) => [
    index("recommendations_conduct_country").on(t.conductCountry, t.seq),
    // Covers the name search, so it scans every target's names alone instead of the wide rows.
    index("recommendations_names").on(t.targetNames),
    // The few rows still stored in version 1 of the case file, for the scheduled upgrade.
    index("recommendations_version1").on(t.seq).where(sql`json_extract(${t.record}, '$.schema_version') IS NULL`),
    // The few not screened yet, for the Cron Trigger to catch up.
    index("recommendations_unscreened").on(t.seq).where(sql`${t.screenedAt} IS NULL`),
  ],
);

export const recommendationCategories = sqliteTable(
  "recommendation_categories",
  {
    category: text("category").notNull(),
    recSeq: integer("rec_seq")
      .notNull()
      .references(() => recommendations.seq),
  },
  (t) => [primaryKey({ columns: [t.category, t.recSeq] })],
);

export const recommendationJurisdictions = sqliteTable(
  "recommendation_jurisdictions",
  {
    jurisdiction: text("jurisdiction").notNull(),
    recSeq: integer("rec_seq")
      .notNull()
      .references(() => recommendations.seq),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.recSeq] })],
);

export const queue = sqliteTable(
  "queue",
  {
    recSeq: integer("rec_seq")
      .primaryKey()
      .references(() => recommendations.seq),
    step: text("step").notNull(),
    assignee: text("assignee"),
    overdue: integer("overdue", { mode: "boolean" }).notNull().default(false),
    dueAt: text("due_at"),
    updatedAt: text("updated_at").notNull(),
    /**
     * The last event of the object's log this row reflects; older writes never
     * overwrite newer. Intake writes 0: the object has not confirmed this row yet.
     */
    eventSeq: integer("event_seq").notNull(),
    /**
     * The hash of that event: the log's head as D1 last saw it, so a log
     * whose tail was cut, or which was re-hashed, no longer matches it.
     */
    headHash: text("head_hash"),
    /** Filings waiting past their follow-up date for a government's answer. */
    followUp: integer("follow_up").notNull().default(0),
    /** When the submitter wrote last, while no staff member has acted since: the queue's "replied" mark. */
    repliedAt: text("replied_at"),
  },
  (t) => [
    // The few rows no object has confirmed yet, for the scheduled reconciliation.
    index("queue_unconfirmed").on(t.recSeq).where(sql`${t.eventSeq} = 0`),
    index("queue_updated").on(t.updatedAt),
    index("queue_step_updated").on(t.step, t.updatedAt),
    index("queue_assignee_updated").on(t.assignee, t.updatedAt),
    index("queue_overdue_step").on(t.overdue, t.step),
  ],
);

/** Named running numbers, e.g. the yearly reference number `reference:2026`. */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    recSeq: integer("rec_seq").references(() => recommendations.seq),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    cleanKey: text("clean_key"),
    originalKey: text("original_key").notNull(),
    /** What identifying metadata the original carried (e.g. `gps,device`), for the submitter's notice. */
    metadataFound: text("metadata_found"),
    /**
     * Whether reviewers get it without hidden metadata: an image with a
     * metadata-free copy, or text (which has no place to hide any). PDFs,
     * Office files, HEIC, video and audio keep theirs: not cleaned.
     */
    cleaned: integer("cleaned", { mode: "boolean" }).notNull().default(false),
    /** A coordinator who let reviewers have a file that was not cleaned, and when. */
    releasedBy: text("released_by"),
    releasedAt: text("released_at"),
    /** When the retention period (or the submitter's erasure) deleted the original; the row and its hash stay. */
    purgedAt: text("purged_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("attachments_rec").on(t.recSeq)],
);

export const staff = sqliteTable("staff", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  role: text("role", { enum: ["reviewer", "coordinator", "admin"] }).notNull(),
  passwordHash: text("password_hash").notNull(),
  /** The TOTP secret, sealed (security/crypto.ts); required for coordinators and admins. */
  totpSecret: text("totp_secret"),
  /** The last TOTP step accepted, so a code cannot be used twice. */
  totpLastStep: integer("totp_last_step"),
  createdAt: text("created_at").notNull(),
  disabledAt: text("disabled_at"),
  /** The language of the staff pages and mails this person chose. */
  locale: text("locale").notNull().default("en"),
  /** Whether they get the e-mail digest of their inbox (the inbox on /review is always there). */
  mail: integer("mail", { mode: "boolean" }).notNull().default(true),
});

/**
 * What waits on each staff member: a row per person and thing to tell
 * (domain/notifications.ts). The in-app inbox shows the unread; the e-mail
 * digest carries the unread not mailed yet. No names or words: ids and kinds.
 */
export const inbox = sqliteTable(
  "inbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    recId: text("rec_id").notNull(),
    kind: text("kind").notNull(),
    /** The event it is about (0: not an event, e.g. a suggested outcome); a redelivered notice adds nothing. */
    eventSeq: integer("event_seq").notNull(),
    at: text("at").notNull(),
    readAt: text("read_at"),
    mailedAt: text("mailed_at"),
  },
  (t) => [
    uniqueIndex("inbox_once").on(t.staffId, t.recId, t.kind, t.eventSeq),
    index("inbox_unread").on(t.staffId, t.recId).where(sql`${t.readAt} IS NULL`),
    // Someone's newest unread first, read backwards and stopped at the page instead of sorting
    // them all (a reviewer who has not opened the inbox for a while has thousands).
    index("inbox_unread_newest").on(t.staffId, t.at, t.id).where(sql`${t.readAt} IS NULL`),
    index("inbox_unmailed").on(t.staffId).where(sql`${t.mailedAt} IS NULL AND ${t.readAt} IS NULL`),
  ],
);

/**
 * When each recipient was last mailed, so nobody gets more than one mail
 * per interval: a staff id, or `submitter:` and a recommendation id.
 */
export const mailLog = sqliteTable("mail_log", {
  recipient: text("recipient").primaryKey(),
  lastAt: text("last_at").notNull(),
});

/**
 * Recommendations whose submitter has a message waiting that no mail has
 * told them of yet. Whether they asked to be told, and where, is sealed with
 * their contact details; the digest opens it only to send.
 */
export const submitterNotices = sqliteTable("submitter_notices", {
  recId: text("rec_id").primaryKey(),
  since: text("since").notNull(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    createdAt: text("created_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [index("sessions_staff").on(t.staffId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /**
   * The staff member the token belongs to and acts as (two-person approval
   * counts people, not tokens). Tokens made before owners existed have none:
   * they may read and export, never act on the workflow.
   */
  ownerId: text("owner_id").references(() => staff.id),
  tokenHash: text("token_hash").notNull().unique(),
  /** Comma-separated: export, contact, originals, review. */
  scopes: text("scopes").notNull(),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at"),
  lastUsedAt: text("last_used_at"),
  revokedAt: text("revoked_at"),
});

/**
 * Idempotency keys of intake (the API's `Idempotency-Key`, the form's
 * one-time token), stored as hashes. A repeat finds the first recommendation
 * here; its receipt is derived again, never stored (security/receipt-key.ts).
 */
export const idempotency = sqliteTable("idempotency", {
  keyHash: text("key_hash").primaryKey(),
  bodyHash: text("body_hash").notNull(),
  recId: text("rec_id"),
  createdAt: text("created_at").notNull(),
});

/**
 * Rate-limit windows, keyed by an HMAC whose key D1 does not hold (never an
 * address or an email); each row is deleted once its window has ended.
 */
export const rateLimits = sqliteTable("rate_limits", {
  bucket: text("bucket").primaryKey(),
  hits: integer("hits").notNull(),
  resetAt: text("reset_at").notNull(),
});

/**
 * Who read what: every file download, export and packet, as a hash chain
 * (each entry's hash covers the previous one), so an entry cannot be removed
 * or altered without breaking every hash after it. `seq` is the chain's
 * order; two writers racing for the same seq make one retry.
 */
export const audit = sqliteTable("audit", {
  seq: integer("seq").primaryKey(),
  at: text("at").notNull(),
  /** A staff member's email, or a token's name with its owner's. */
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  /** What was read: a recommendation id, or `recommendations` for an export. */
  subject: text("subject").notNull(),
  /** JSON: filters, rows, file, variant; never a sealed value. */
  details: text("details").notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
});

/**
 * Drafts of the public form, saved to finish later: found by the hash of
 * their code (the code itself is shown once, never stored), their content
 * sealed, and deleted 30 days after they were last saved.
 */
export const drafts = sqliteTable(
  "drafts",
  {
    codeHash: text("code_hash").primaryKey(),
    sealed: text("sealed").notNull(),
    savedAt: text("saved_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    /** Ids of the uploads the draft holds (JSON array), kept while the draft is: random ids, nothing sealed. */
    files: text("files").notNull().default("[]"),
  },
  (t) => [index("drafts_expires").on(t.expiresAt)],
);

/**
 * Sanctions lists, loaded from FollowTheMoney files (`npm run lists`, or the
 * Cron Trigger from LISTS_URL): the people and organisations they name, as
 * parties to screen against (JSON), with their datasets and programmes.
 */
export const listEntities = sqliteTable("list_entities", {
  id: text("id").primaryKey(),
  schema: text("schema").notNull(),
  caption: text("caption").notNull(),
  datasets: text("datasets").notNull(),
  party: text("party").notNull(),
  programs: text("programs").notNull().default("[]"),
  importId: text("import_id").notNull(),
});

/**
 * The keys that find a party among many before it is scored (phonetic codes
 * and consonants of its name parts): one row per key and owner, the owner a
 * listed entity or a recommendation's target (`<recommendation id>:<index>`).
 */
export const nameKeys = sqliteTable(
  "name_keys",
  {
    key: text("key").notNull(),
    owner: text("owner").notNull(),
    source: text("source", { enum: ["list", "recommendation"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.owner] }), index("name_keys_owner").on(t.owner)],
);

/** Each import of a list: when, from where, and how many entities it loaded, added, changed and removed. */
export const listImports = sqliteTable("list_imports", {
  id: text("id").primaryKey(),
  source: text("source").notNull(),
  startedAt: text("started_at").notNull(),
  finishedAt: text("finished_at"),
  loaded: integer("loaded"),
  added: integer("added"),
  updated: integer("updated"),
  removed: integer("removed"),
  /** When the recommendations were screened again against what it changed (the Cron Trigger). */
  rescreenedAt: text("rescreened_at"),
  /** How far that screening got: the last entity id done (it goes a batch per run of the Cron Trigger). */
  rescreenCursor: text("rescreen_cursor"),
});

/** What an import added, changed or removed, entity by entity. */
export const listChanges = sqliteTable(
  "list_changes",
  {
    importId: text("import_id").notNull(),
    entityId: text("entity_id").notNull(),
    change: text("change", { enum: ["added", "updated", "removed"] }).notNull(),
    caption: text("caption").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.entityId] })],
);

/** An import in progress: its entities and keys, before they replace what was loaded. */
export const listStaging = sqliteTable("list_staging", {
  id: text("id").primaryKey(),
  schema: text("schema").notNull(),
  caption: text("caption").notNull(),
  datasets: text("datasets").notNull(),
  party: text("party").notNull(),
  programs: text("programs").notNull(),
});

export const listStagingKeys = sqliteTable(
  "list_staging_keys",
  {
    key: text("key").notNull(),
    owner: text("owner").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.owner] })],
);

/**
 * Each recommendation's targets as screening compares them (names, birth
 * date, nationalities, documents: JSON), beside the keys that find them,
 * so candidates are scored without reading whole records.
 */
export const targetParties = sqliteTable(
  "target_parties",
  {
    owner: text("owner").primaryKey(),
    recId: text("rec_id").notNull(),
    reference: text("reference").notNull(),
    name: text("name").notNull(),
    party: text("party").notNull(),
  },
  (t) => [index("target_parties_rec").on(t.recId)],
);

/**
 * Screening's findings for each target of a recommendation: a listed entity
 * (`list:<id>`) or another recommendation's target (`recommendation:<id>:<index>`),
 * with the score, the reasons, and a reviewer's decision ("same" or "different").
 */
export const matches = sqliteTable(
  "matches",
  {
    recId: text("rec_id").notNull(),
    targetIndex: integer("target_index").notNull(),
    candidate: text("candidate").notNull(),
    source: text("source", { enum: ["list", "recommendation"] }).notNull(),
    candidateId: text("candidate_id").notNull(),
    candidateTarget: integer("candidate_target"),
    name: text("name").notNull(),
    score: real("score").notNull(),
    reasons: text("reasons").notNull(),
    datasets: text("datasets").notNull().default("[]"),
    programs: text("programs").notNull().default("[]"),
    reference: text("reference"),
    decision: text("decision", { enum: ["same", "different"] }),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    screenedAt: text("screened_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recId, t.targetIndex, t.candidate] }),
    index("matches_candidate").on(t.candidateId),
    // The matches that mark a recommendation (the queue's "listed" and "possible duplicate"):
    // a few of them, so the queue reads these instead of every match. The condition is the
    // one `db/recommendations.ts` writes, word for word (0.8 is screening's MARK_FROM).
    index("matches_marked").on(t.recId, t.source).where(sql`decision = 'same' OR (decision IS NULL AND score >= 0.8)`),
    // The same matches from the other side: a possible duplicate is written once and marks both.
    index("matches_marked_candidate")
      .on(t.candidateId, t.source)
      .where(sql`decision = 'same' OR (decision IS NULL AND score >= 0.8)`),
  ],
);

/**
 * Filings with governments and their outcomes, as the recommendation's
 * object last wrote them (it is their single writer; this is the copy that
 * the queue, the statistics and the exports read).
 */
export const filings = sqliteTable(
  "filings",
  {
    id: text("id").primaryKey(),
    recId: text("rec_id").notNull(),
    programme: text("programme").notNull(),
    filedOn: text("filed_on").notNull(),
    channel: text("channel").notNull(),
    addressee: text("addressee").notNull(),
    governmentReference: text("government_reference"),
    note: text("note"),
    packetSha256: text("packet_sha256"),
    filedBy: text("filed_by").notNull(),
    outcome: text("outcome", { enum: ["designated", "not_designated"] }),
    outcomeOn: text("outcome_on"),
    /** JSON array of target indexes; null for all targets. */
    outcomeTargets: text("outcome_targets"),
    listReference: text("list_reference"),
    sourceUrl: text("source_url"),
    outcomeBy: text("outcome_by"),
    followUpDue: integer("follow_up_due").notNull().default(0),
    /** The object's event this row reflects: an older write never overwrites a newer one. */
    eventSeq: integer("event_seq").notNull(),
  },
  (t) => [
    // Each recommendation's filings with their answers: the multilateral gaps are counted from this index alone.
    index("filings_rec_answer").on(t.recId, t.programme, t.outcome),
    index("filings_programme_outcome").on(t.programme, t.outcome),
    // The days from filing to answer in order, per programme and over all: a median is read off
    // the middle of one of these, without sorting or reading the filings.
    index("filings_days")
      .on(t.outcome, t.programme, sql`julianday(${t.outcomeOn}) - julianday(${t.filedOn})`)
      .where(sql`${t.outcomeOn} IS NOT NULL`),
    index("filings_days_all")
      .on(t.outcome, sql`julianday(${t.outcomeOn}) - julianday(${t.filedOn})`)
      .where(sql`${t.outcomeOn} IS NOT NULL`),
  ],
);

/**
 * Designation watch: a filed target that a list import newly matched (score
 * ≥ 0.8) with an entity listed by the government of a filing still awaiting
 * its answer. A coordinator confirms by recording the outcome, which clears
 * the filing's suggestions.
 */
export const suggestedOutcomes = sqliteTable(
  "suggested_outcomes",
  {
    filingId: text("filing_id").notNull(),
    targetIndex: integer("target_index").notNull(),
    entityId: text("entity_id").notNull(),
    recId: text("rec_id").notNull(),
    programme: text("programme").notNull(),
    name: text("name").notNull(),
    score: real("score").notNull(),
    reasons: text("reasons").notNull(),
    datasets: text("datasets").notNull(),
    programs: text("programs").notNull(),
    suggestedAt: text("suggested_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.filingId, t.targetIndex, t.entityId] }),
    index("suggested_outcomes_rec").on(t.recId),
  ],
);
