import { DurableObject } from "cloudflare:workers";
import { chain, GENESIS_HASH, type LoggedEvent } from "../domain/event-log.ts";
import { INITIAL_STEP, type Step } from "../domain/workflow.ts";

/** The workflow state of one recommendation as its object holds it. */
export interface Snapshot {
  id: string;
  step: Step;
  assignee: string | null;
  overdue: boolean;
  dueAt: string | null;
  updatedAt: string;
  eventSeq: number;
}

interface StateRow extends Record<string, SqlStorageValue> {
  rec_id: string;
  step: string;
  assignee: string | null;
  overdue: number;
  due_at: string | null;
  updated_at: string;
  event_seq: number;
}

interface EventRow extends Record<string, SqlStorageValue> {
  seq: number;
  at: string;
  actor: string;
  action: string;
  from_step: string | null;
  to_step: string;
  comment: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * One object per recommendation: the single writer of its workflow. Every
 * change runs inside blockConcurrencyWhile, so two requests never interleave
 * between reading the state and appending the event that changes it.
 */
export class Recommendation extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS state (
      only INTEGER PRIMARY KEY CHECK (only = 1), rec_id TEXT NOT NULL, step TEXT NOT NULL,
      assignee TEXT, overdue INTEGER NOT NULL DEFAULT 0, due_at TEXT, updated_at TEXT NOT NULL,
      event_seq INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
      from_step TEXT, to_step TEXT NOT NULL, comment TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
  }

  /**
   * Starts the workflow of a stored submission: step `received` and the first
   * event. Idempotent, and deterministic from its arguments, so intake can
   * call it again after a failure and reconciliation can call it from D1.
   */
  async open(id: string, createdAt: string): Promise<Snapshot> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const existing = this.snapshot();
      if (existing) return existing;
      const event = await chain(
        { seq: 1, at: createdAt, actor: "submitter", action: "submit", from: null, to: INITIAL_STEP, comment: null },
        GENESIS_HASH,
      );
      this.ctx.storage.transactionSync(() => {
        this.insertEvent(event);
        this.sql.exec(
          "INSERT INTO state (only, rec_id, step, updated_at, event_seq) VALUES (1, ?, ?, ?, ?)",
          id,
          INITIAL_STEP,
          createdAt,
          event.seq,
        );
      });
      return this.snapshot() as Snapshot;
    });
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
        prev_hash: row.prev_hash,
        hash: row.hash,
      }));
  }

  private snapshot(): Snapshot | null {
    const row = this.sql.exec<StateRow>("SELECT * FROM state").toArray()[0];
    if (!row) return null;
    return {
      id: row.rec_id,
      step: row.step as Step,
      assignee: row.assignee,
      overdue: row.overdue === 1,
      dueAt: row.due_at,
      updatedAt: row.updated_at,
      eventSeq: row.event_seq,
    };
  }

  private insertEvent(e: LoggedEvent): void {
    this.sql.exec(
      "INSERT INTO events (seq, at, actor, action, from_step, to_step, comment, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.from,
      e.to,
      e.comment,
      e.prev_hash,
      e.hash,
    );
  }
}

/** The object of recommendation `id` (one per recommendation, addressed by its id). */
export function recommendationObject(env: Env, id: string): DurableObjectStub<Recommendation> {
  return env.RECOMMENDATION.get(env.RECOMMENDATION.idFromName(id));
}
