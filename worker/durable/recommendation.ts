import { DurableObject } from "cloudflare:workers";
import { writeProjection } from "../db/queue.ts";
import { purgeRows, unpurgedFiles } from "../db/retention.ts";
import { firstEvent, fixedByLog } from "../domain/custody.ts";
import { dueAt, parseDeadlineDays } from "../domain/deadlines.ts";
import { chain, type EventData, type LoggedEvent, verifyChain } from "../domain/event-log.ts";
import { dueForFollowUp, type Filing, nextFollowUp, parseFollowUpDays } from "../domain/filings.ts";
import { noticesOf } from "../domain/notifications.ts";
import {
  CLOSED_STEPS,
  closedAtAfter,
  erasureDueAt,
  parseRetentionDays,
  purgeDueAt,
  purgeReason,
} from "../domain/retention.ts";
import {
  type ActionInput,
  type Actor,
  initialState,
  type Refusal,
  type Step,
  transition,
  type WorkflowState,
} from "../domain/workflow.ts";

/** The workflow state of one recommendation as its object holds it. */
export interface Snapshot extends WorkflowState {
  id: string;
  overdue: boolean;
  dueAt: string | null;
  updatedAt: string;
  eventSeq: number;
  /** The hash of the last event: the head D1 keeps, so a cut or rewritten log is caught. */
  headHash: string;
  /** The last event seq D1's queue row is known to reflect. */
  projectedSeq: number;
  /** The last event the submitter had before them on their status page, and when (0 and null: never opened). */
  submitterSeenSeq: number;
  submitterSeenAt: string | null;
  /** When the submitter last wrote (a message, an answer, files) with no staff action since; null otherwise. */
  repliedAt: string | null;
  /** When the retention clock started (a closed step entered, or a hold released); null while open. */
  closedAt: string | null;
  /** When the submitter's erasure is due; null when they did not ask. */
  eraseAt: string | null;
  purgedAt: string | null;
  /** When the sealed fields and original files will be purged (domain/retention.ts); null: not planned. */
  purgeDueAt: string | null;
}

/** What opening an object needs, all from the recommendation's D1 row. */
export interface Opening {
  id: string;
  createdAt: string;
  /** The first event's data as JSON (domain/custody.ts), or null for a row from before custody. */
  genesis: string | null;
}

/** An object as a backup keeps it: its state row's columns as stored, and its whole log. */
export interface ObjectBackup {
  state: Record<string, SqlStorageValue>;
  events: LoggedEvent[];
}

export type ActResult = { ok: true; snapshot: Snapshot; event: LoggedEvent } | Refusal;

const PROJECTION_RETRY_MS = 5_000;

interface StateRow extends Record<string, SqlStorageValue> {
  rec_id: string;
  step: string;
  return_step: string | null;
  approvals: string;
  assignee: string | null;
  overdue: number;
  due_at: string | null;
  updated_at: string;
  event_seq: number;
  projected_seq: number;
  head_hash: string;
  filings: string;
  submitter_seen_seq: number;
  submitter_seen_at: string | null;
  replied_at: string | null;
  closed_at: string | null;
  held: number;
  erase_at: string | null;
  purged_at: string | null;
  purge_pending: number;
}

/** State columns added after objects were first stored: each added, empty, to an object that lacks it. */
const LATER_COLUMNS: Record<string, string> = {
  filings: "TEXT NOT NULL DEFAULT '[]'",
  submitter_seen_seq: "INTEGER NOT NULL DEFAULT 0",
  submitter_seen_at: "TEXT",
  replied_at: "TEXT",
  closed_at: "TEXT",
  held: "INTEGER NOT NULL DEFAULT 0",
  erase_at: "TEXT",
  purged_at: "TEXT",
  /** 1 from the purge's event until its deletions in D1 and R2 are done (retried by the alarm). */
  purge_pending: "INTEGER NOT NULL DEFAULT 0",
};

function laterColumnsSql(): string {
  return Object.entries(LATER_COLUMNS)
    .map(([name, type]) => `${name} ${type}`)
    .join(", ");
}

const EVENT_COLUMNS = `seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  from_step TEXT, to_step TEXT NOT NULL, comment TEXT, to_submitter INTEGER NOT NULL DEFAULT 0,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, data TEXT`;

interface EventRow extends Record<string, SqlStorageValue> {
  seq: number;
  at: string;
  actor: string;
  action: string;
  from_step: string | null;
  to_step: string;
  comment: string | null;
  to_submitter: number;
  prev_hash: string;
  hash: string;
  data: string | null;
}

function actorName(actor: Actor): string {
  return actor.kind === "staff" ? actor.email : actor.kind;
}

/**
 * One object per recommendation: the single writer of its workflow. Every
 * change runs inside blockConcurrencyWhile, so two requests never interleave
 * between reading the state and appending the event that changes it. One
 * alarm serves two purposes: the step's deadline, and retrying a D1
 * projection write that failed.
 */
export class Recommendation extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // A new object (every intake makes one) creates its tables whole; only an object stored
    // before a later column existed pays for reading its columns and adding what it lacks.
    const stored = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'state'").one().n;
    if (stored === 0) {
      this.sql.exec(`CREATE TABLE state (
        only INTEGER PRIMARY KEY CHECK (only = 1), rec_id TEXT NOT NULL, step TEXT NOT NULL,
        return_step TEXT, approvals TEXT NOT NULL DEFAULT '[]', assignee TEXT,
        overdue INTEGER NOT NULL DEFAULT 0, due_at TEXT, updated_at TEXT NOT NULL, event_seq INTEGER NOT NULL,
        projected_seq INTEGER NOT NULL DEFAULT 1, ${laterColumnsSql()})`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS events (${EVENT_COLUMNS})`);
    } else this.addLaterColumns();
  }

  /** Objects opened before events carried data, or before filings and the submitter's reading were kept. */
  private addLaterColumns(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (${EVENT_COLUMNS})`);
    const columns = this.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('events')").toArray();
    // Their old events keep NULL.
    if (!columns.some((c) => c.name === "data")) this.sql.exec("ALTER TABLE events ADD COLUMN data TEXT");
    const stateColumns = new Set(
      this.sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('state')")
        .toArray()
        .map((c) => c.name),
    );
    for (const [name, type] of Object.entries(LATER_COLUMNS)) {
      if (!stateColumns.has(name)) this.sql.exec(`ALTER TABLE state ADD COLUMN ${name} ${type}`);
    }
    // Closed before retention existed: the clock starts from the last thing that happened.
    if (!stateColumns.has("closed_at")) {
      this.sql.exec(
        `UPDATE state SET closed_at = updated_at WHERE step IN (${CLOSED_STEPS.map(() => "?").join(", ")})`,
        ...CLOSED_STEPS,
      );
    }
  }

  /**
   * Starts the workflow of a stored submission: the initial step and the
   * first event. Idempotent, and deterministic from its arguments, so intake
   * can call it again after a failure and reconciliation can call it from D1.
   */
  async open({ id, createdAt, genesis }: Opening): Promise<Snapshot> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const existing = this.snapshot();
      if (existing) return existing;
      const event = await firstEvent(createdAt, genesis ? (JSON.parse(genesis) as EventData) : null);
      const step = event.to as Step;
      this.ctx.storage.transactionSync(() => {
        this.insertEvent(event);
        this.sql.exec(
          "INSERT INTO state (only, rec_id, step, due_at, updated_at, event_seq) VALUES (1, ?, ?, ?, ?, ?)",
          id,
          step,
          this.deadline(step, createdAt),
          createdAt,
          event.seq,
        );
      });
      await this.arm();
      this.tell([event], null);
      return this.snapshot() as Snapshot;
    });
  }

  /**
   * Applies one action if the table allows it from the current step and the
   * caller saw that step (`expectedStep`; null skips the check). Of two
   * identical concurrent actions, the second sees the moved step and is refused.
   * `data` is what the event fixes about content or files (hashes), logged with it.
   */
  async act(input: ActionInput, actor: Actor, expectedStep: Step | null, data?: EventData): Promise<ActResult> {
    const result = await this.ctx.blockConcurrencyWhile(() => this.apply(input, actor, expectedStep, data ?? null));
    if (result.ok) {
      await this.project(result.snapshot);
      await this.arm();
      this.tell([result.event], actor.kind === "staff" ? actor.id : null);
    }
    return result;
  }

  /**
   * Deadline, follow-ups, purge and retries: marks an overdue step or filing
   * once, purges what the retention period (or an erasure) ends, and brings
   * D1 and storage up to date.
   */
  override async alarm(): Promise<void> {
    const logged: LoggedEvent[] = [];
    await this.ctx.blockConcurrencyWhile(async () => {
      const current = this.snapshot();
      if (!current) return;
      if (current.purgeDueAt && Date.parse(current.purgeDueAt) <= Date.now()) {
        const purged = await this.purge(current);
        if (purged) logged.push(purged);
      }
      for (const filing of dueForFollowUp(current.filings, Date.now(), this.followUpDays())) {
        const result = await this.apply({ action: "follow_up", filing_id: filing.id }, { kind: "system" }, null, null);
        if (result.ok) logged.push(result.event);
      }
      if (!current.dueAt || current.overdue || Date.now() < Date.parse(current.dueAt)) return;
      // Refused when the step has no deadline any more (e.g. closed): nothing to mark.
      const result = await this.apply({ action: "overdue" }, { kind: "system" }, current.step, null);
      if (result.ok) logged.push(result.event);
    });
    this.tell(logged, null);
    if (this.purgePending()) await this.deletePurged();
    const current = this.snapshot();
    if (current && current.projectedSeq < current.eventSeq) await this.project(current);
    await this.arm();
  }

  /**
   * Logs the purge: what it deletes, by hash (the sealed fields' hash, which
   * the content hash covers, and each original file's), so the record still
   * verifies without them. The deletions follow the event (deletePurged).
   */
  private async purge(current: Snapshot): Promise<LoggedEvent | null> {
    const fixed = fixedByLog(await this.events());
    const files = await unpurgedFiles(this.env.DB, current.id);
    const data: EventData = {
      ...(fixed.content_sha256 ? { content_sha256: fixed.content_sha256 } : {}),
      purged: { reason: purgeReason(current, Date.now()), sealed_sha256: fixed.sealed_sha256, files },
    };
    const result = await this.apply({ action: "purge" }, { kind: "system" }, null, data);
    return result.ok ? result.event : null;
  }

  private purgePending(): boolean {
    return this.sql.exec<{ n: number }>("SELECT purge_pending AS n FROM state").toArray()[0]?.n === 1;
  }

  /** The purge's deletions, as its event lists them: D1's sealed fields and file claims, then the stored originals. */
  private async deletePurged(): Promise<void> {
    const event = this.sql
      .exec<{ data: string; at: string }>(
        "SELECT data, at FROM events WHERE action = 'purge' ORDER BY seq DESC LIMIT 1",
      )
      .toArray()[0];
    const purged = event ? (JSON.parse(event.data) as EventData).purged : undefined;
    try {
      const id = this.snapshot()?.id as string;
      const keys = await purgeRows(this.env.DB, id, purged?.files.map((f) => f.id) ?? [], event?.at as string);
      if (keys.length > 0) await this.env.FILES.delete(keys);
      this.sql.exec("UPDATE state SET purge_pending = 0");
    } catch (error) {
      console.warn("purge deletions failed; retrying from the alarm", String(error));
    }
  }

  /** The current state, or null when this object was never opened. */
  async state(): Promise<Snapshot | null> {
    return this.snapshot();
  }

  /** The whole event log, oldest first. */
  async events(): Promise<LoggedEvent[]> {
    return this.sql
      .exec<EventRow>("SELECT * FROM events ORDER BY seq")
      .toArray()
      .map((row) => ({
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        from: row.from_step,
        to: row.to_step,
        comment: row.comment,
        to_submitter: row.to_submitter === 1,
        data: row.data === null ? null : (JSON.parse(row.data) as EventData),
        prev_hash: row.prev_hash,
        hash: row.hash,
      }));
  }

  /**
   * The log as the submitter's status page reads it, noting how far they
   * have read: staff see which messages reached them.
   */
  async readBySubmitter(): Promise<LoggedEvent[]> {
    const events = await this.events();
    const last = events.at(-1);
    if (last) {
      this.sql.exec(
        "UPDATE state SET submitter_seen_seq = ?, submitter_seen_at = ? WHERE submitter_seen_seq < ?",
        last.seq,
        new Date().toISOString(),
        last.seq,
      );
    }
    return events;
  }

  /** Recomputes the hash chain: null when every event fits, else the seq of the first that does not. */
  async verify(): Promise<number | null> {
    return verifyChain(await this.events());
  }

  /** All this object holds, as stored: what a backup keeps of it (null: never opened). */
  async backup(): Promise<ObjectBackup | null> {
    const state = this.sql.exec<StateRow>("SELECT * FROM state").toArray()[0];
    return state ? { state, events: await this.events() } : null;
  }

  /**
   * Loads a backup into this object: into an empty one, or one that holds
   * only the beginning of the same log (the Cron Trigger may open it from
   * its restored D1 row first, with the same first event; a restore run
   * twice finds all of it). The log must
   * verify and end where the state says. Then D1's queue row follows it and
   * the alarm is set again; nobody is notified of anything.
   */
  async restore(backup: ObjectBackup): Promise<{ ok: true } | { ok: false; status: 409 | 422; message: string }> {
    const refusal = await this.ctx.blockConcurrencyWhile(async () => {
      const broken = await verifyChain(backup.events);
      if (broken !== null) return { status: 422 as const, message: `its log breaks at event ${broken}` };
      if (backup.events.at(-1)?.seq !== backup.state.event_seq) {
        return { status: 422 as const, message: "its state does not end where its log ends" };
      }
      const held = await this.events();
      if (!held.every((e, i) => backup.events[i]?.hash === e.hash)) {
        return { status: 409 as const, message: "this recommendation's object holds another history" };
      }
      const known = new Set(
        this.sql
          .exec<{ name: string }>("SELECT name FROM pragma_table_info('state')")
          .toArray()
          .map((c) => c.name),
      );
      const columns = Object.keys(backup.state);
      const unknown = columns.find((c) => !known.has(c));
      if (unknown) return { status: 422 as const, message: `its state has a column this version lacks: ${unknown}` };
      this.ctx.storage.transactionSync(() => {
        this.sql.exec("DELETE FROM state");
        this.sql.exec(
          `INSERT INTO state (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
          ...columns.map((c) => backup.state[c] as SqlStorageValue),
        );
        for (const event of backup.events.slice(held.length)) this.insertEvent(event);
      });
      return null;
    });
    if (refusal) return { ok: false, ...refusal };
    await this.reproject();
    return { ok: true };
  }

  /** Writes the queue row again from this object (reconciliation after an outage or a restore). */
  async reproject(): Promise<Snapshot | null> {
    const current = this.snapshot();
    if (current) {
      await this.project(current, true);
      await this.arm();
    }
    return current;
  }

  private async apply(
    input: ActionInput,
    actor: Actor,
    expectedStep: Step | null,
    data: EventData | null,
  ): Promise<ActResult> {
    const current = this.snapshot();
    if (!current) return { ok: false, error: "invalid_transition", step: initialState().step, message: "not opened" };
    if (expectedStep && expectedStep !== current.step) {
      return {
        ok: false,
        error: "invalid_transition",
        step: current.step,
        message: `expected ${expectedStep}, but the recommendation is in ${current.step}`,
      };
    }
    const outcome = transition(current, input, actor);
    if (!outcome.ok) return outcome;
    const last = this.sql.exec<EventRow>("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").one();
    const at = new Date().toISOString();
    const event = await chain({ seq: last.seq + 1, at, actor: actorName(actor), ...outcome.event, data }, last.hash);
    const s = outcome.state;
    const moved = s.step !== current.step;
    // A new step starts a new deadline; staying in a step keeps it, and `overdue` marks it missed.
    const due = moved ? this.deadline(s.step, at) : current.dueAt;
    const overdue = input.action === "overdue" || (!moved && current.overdue);
    const replied = repliedMark(current.repliedAt, input.action, actor, at);
    this.ctx.storage.transactionSync(() => {
      this.insertEvent(event);
      this.sql.exec(
        `UPDATE state SET step = ?, return_step = ?, approvals = ?, assignee = ?, overdue = ?, due_at = ?,
           updated_at = ?, event_seq = ?, filings = ?, replied_at = ?, closed_at = ?, held = ?,
           erase_at = coalesce(erase_at, ?), purged_at = coalesce(purged_at, ?),
           purge_pending = max(purge_pending, ?)`,
        s.step,
        s.returnStep,
        JSON.stringify(s.approvals),
        s.assignee,
        overdue ? 1 : 0,
        due,
        // Storing the record in a newer version is no news to anyone: the queue's "last activity" stays.
        input.action === "upgrade" ? current.updatedAt : at,
        event.seq,
        JSON.stringify(s.filings),
        replied,
        closedAtAfter(current, s.step, input.action, at),
        s.held ? 1 : 0,
        input.action === "request_erasure" ? erasureDueAt(at) : null,
        input.action === "purge" ? at : null,
        input.action === "purge" ? 1 : 0,
      );
    });
    return { ok: true, snapshot: this.snapshot() as Snapshot, event };
  }

  /**
   * Copies the state to D1's queue row. The action is already committed
   * here, so a failed write must not fail the action: arm() then schedules a
   * retry, until D1 agrees (the row only ever moves forward, by event seq).
   */
  private async project(snapshot: Snapshot, force = false): Promise<void> {
    try {
      await writeProjection(this.env.DB, snapshot, force);
      this.sql.exec("UPDATE state SET projected_seq = max(projected_seq, ?)", snapshot.eventSeq);
    } catch (error) {
      console.warn("queue projection failed; retrying from the alarm", String(error));
    }
  }

  /**
   * Puts what these events tell (domain/notifications.ts) on the
   * notifications queue, after they are committed and without holding up
   * the action: a notice that cannot be queued is lost, the log keeps all.
   */
  private tell(events: readonly LoggedEvent[], staffId: string | null): void {
    const current = this.snapshot();
    const notices = current ? events.flatMap((e) => noticesOf(current.id, e, current, staffId)) : [];
    if (notices.length === 0) return;
    this.ctx.waitUntil(
      this.env.NOTIFICATIONS.sendBatch(notices.map((body) => ({ body }))).catch((error: unknown) => {
        console.error("notices not queued", notices.length, String(error));
      }),
    );
  }

  /** Sets the one alarm to the earliest thing still to do: a projection retry, the step's deadline or a filing's follow-up. */
  private async arm(): Promise<void> {
    const current = this.snapshot();
    if (!current) return;
    const times: number[] = [];
    if (current.projectedSeq < current.eventSeq || this.purgePending()) times.push(Date.now() + PROJECTION_RETRY_MS);
    if (current.purgeDueAt) times.push(Date.parse(current.purgeDueAt));
    if (current.dueAt && !current.overdue) times.push(Date.parse(current.dueAt));
    const followUp = nextFollowUp(current.filings, this.followUpDays());
    if (followUp !== null) times.push(followUp);
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }

  private followUpDays(): number {
    return parseFollowUpDays(this.env.FOLLOW_UP_DAYS);
  }

  private deadline(step: Step, enteredAt: string): string | null {
    return dueAt(step, enteredAt, parseDeadlineDays(this.env.DEADLINE_DAYS));
  }

  private snapshot(): Snapshot | null {
    const row = this.sql
      .exec<StateRow>("SELECT *, (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) AS head_hash FROM state")
      .toArray()[0];
    if (!row) return null;
    return {
      id: row.rec_id,
      step: row.step as Step,
      returnStep: row.return_step as Step | null,
      approvals: JSON.parse(row.approvals) as string[],
      assignee: row.assignee,
      filings: JSON.parse(row.filings) as Filing[],
      overdue: row.overdue === 1,
      dueAt: row.due_at,
      updatedAt: row.updated_at,
      eventSeq: row.event_seq,
      headHash: row.head_hash,
      projectedSeq: row.projected_seq,
      submitterSeenSeq: row.submitter_seen_seq,
      submitterSeenAt: row.submitter_seen_at,
      repliedAt: row.replied_at,
      held: row.held === 1,
      erasureRequested: row.erase_at !== null,
      purged: row.purged_at !== null,
      closedAt: row.closed_at,
      eraseAt: row.erase_at,
      purgedAt: row.purged_at,
      purgeDueAt: purgeDueAt(
        {
          step: row.step as Step,
          closedAt: row.closed_at,
          held: row.held === 1,
          eraseAt: row.erase_at,
          purgedAt: row.purged_at,
        },
        parseRetentionDays(this.env.RETENTION_DAYS),
      ),
    };
  }

  private insertEvent(e: LoggedEvent): void {
    this.sql.exec(
      `INSERT INTO events (seq, at, actor, action, from_step, to_step, comment, to_submitter, prev_hash, hash, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.from,
      e.to,
      e.comment,
      e.to_submitter ? 1 : 0,
      e.prev_hash,
      e.hash,
      e.data === null ? null : JSON.stringify(e.data),
    );
  }
}

/**
 * The queue's "replied" mark: set when the submitter writes, cleared by
 * whatever staff do next (a message, a note, a step), except handing it to
 * someone else, which answers nothing.
 */
function repliedMark(current: string | null, action: ActionInput["action"], actor: Actor, at: string): string | null {
  if (actor.kind === "submitter") return action === "withdraw" ? current : at;
  if (actor.kind === "staff" && action !== "assign") return null;
  return current;
}

/** Only what opening needs, picked from a row that may hold much more (nothing sealed crosses to the object). */
export function openingOf(row: Opening): Opening {
  return { id: row.id, createdAt: row.createdAt, genesis: row.genesis };
}

/** The object of recommendation `id` (one per recommendation, addressed by its id). */
export function recommendationObject(env: Env, id: string): DurableObjectStub<Recommendation> {
  return env.RECOMMENDATION.get(env.RECOMMENDATION.idFromName(id));
}
