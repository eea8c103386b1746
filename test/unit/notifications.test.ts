import { describe, expect, it } from "vitest";
import {
  actsIn,
  type Notice,
  type NoticeSource,
  noticesOf,
  parseIntervalMinutes,
  recipientsOf,
} from "../../worker/domain/notifications.ts";

function event(extra: Partial<NoticeSource>): NoticeSource {
  return {
    seq: 5,
    at: "2026-11-30T10:00:00.000Z",
    actor: "r@example.org",
    action: "advance",
    from: "triage",
    to: "legal_review",
    to_submitter: false,
    ...extra,
  };
}

const STAFF = [
  { id: "rev", role: "reviewer" as const },
  { id: "coord", role: "coordinator" as const },
  { id: "adm", role: "admin" as const },
];

function notice(extra: Partial<Notice>): Notice {
  return { kind: "new", recId: "r1", seq: 5, step: "legal_review", assignee: null, actor: null, at: "t", ...extra };
}

describe("what an event tells", () => {
  it("a step moved: new in that step; the submitter's words: they wrote; staff's message: the submitter", () => {
    expect(noticesOf("r1", event({}), { step: "legal_review", assignee: null }, "rev").map((n) => n.kind)).toEqual([
      "new",
    ]);
    expect(
      noticesOf(
        "r1",
        event({ actor: "submitter", action: "message", from: "triage", to: "triage", to_submitter: true }),
        {
          step: "triage",
          assignee: null,
        },
        null,
      ).map((n) => n.kind),
    ).toEqual(["submitter_wrote"]);
    // An answer to a change request both returns the recommendation and is the submitter's words.
    expect(
      noticesOf(
        "r1",
        event({ actor: "submitter", action: "respond", from: "changes_requested", to: "triage", to_submitter: true }),
        {
          step: "triage",
          assignee: null,
        },
        null,
      ).map((n) => n.kind),
    ).toEqual(["submitter_wrote", "new"]);
    expect(
      noticesOf(
        "r1",
        event({ action: "request_changes", to: "changes_requested", to_submitter: true }),
        {
          step: "changes_requested",
          assignee: null,
        },
        "rev",
      ).map((n) => n.kind),
    ).toEqual(["to_submitter"]);
  });

  it("an internal note, a first approval, a closing step tell nobody", () => {
    expect(
      noticesOf(
        "r1",
        event({ action: "comment", from: "triage", to: "triage" }),
        { step: "triage", assignee: null },
        "rev",
      ),
    ).toEqual([]);
    expect(
      noticesOf(
        "r1",
        event({ action: "approve", from: "final_approval", to: "final_approval" }),
        {
          step: "final_approval",
          assignee: null,
        },
        "coord",
      ),
    ).toEqual([]);
    expect(
      noticesOf("r1", event({ action: "reject", to: "rejected" }), { step: "rejected", assignee: null }, "coord"),
    ).toEqual([]);
  });

  it("a submitter asking for erasure tells the coordinators, whoever it is assigned to: only they can hold it", () => {
    const asked = event({ actor: "submitter", action: "request_erasure", from: "withdrawn", to: "withdrawn" });
    const [told] = noticesOf("r1", asked, { step: "withdrawn", assignee: "rev" }, null);
    expect(told).toMatchObject({ kind: "erasure_requested", step: "withdrawn", assignee: "rev" });
    expect(recipientsOf(told as Notice, STAFF)).toEqual(["coord"]);
    // A hold or a release, and the purge itself, tell nobody.
    for (const action of ["hold", "release", "purge"] as const) {
      expect(
        noticesOf(
          "r1",
          event({ action, from: "withdrawn", to: "withdrawn" }),
          { step: "withdrawn", assignee: null },
          null,
        ),
      ).toEqual([]);
    }
  });
});

describe("who is told", () => {
  it("the roles that work a step: reviewers and coordinators in review, coordinators for approval and filing", () => {
    expect(actsIn("received")).toEqual(["reviewer", "coordinator"]);
    expect(actsIn("final_approval")).toEqual(["coordinator"]);
    expect(actsIn("approved")).toEqual(["coordinator"]);
    expect(actsIn("rejected")).toEqual(["coordinator"]);
    expect(actsIn("withdrawn")).toEqual(["coordinator"]);
    expect(actsIn("designated")).toEqual(["coordinator"]);
  });

  it("the assignee alone when there is one; never the actor; admins only what is theirs", () => {
    expect(recipientsOf(notice({}), STAFF)).toEqual(["rev", "coord"]);
    expect(recipientsOf(notice({ assignee: "coord", kind: "submitter_wrote" }), STAFF)).toEqual(["coord"]);
    expect(recipientsOf(notice({ actor: "rev" }), STAFF)).toEqual(["coord"]);
    expect(recipientsOf(notice({ kind: "assigned", assignee: "adm" }), STAFF)).toEqual(["adm"]);
    expect(recipientsOf(notice({ kind: "suggestion", step: "filed" }), STAFF)).toEqual(["coord"]);
    expect(recipientsOf(notice({ kind: "to_submitter" }), STAFF)).toEqual([]);
    // An assignee who has left (disabled) no longer counts: the step's people are told.
    expect(recipientsOf(notice({ assignee: "gone" }), STAFF)).toEqual(["rev", "coord"]);
  });

  it("reads the mail interval from the configuration, 30 minutes when unset or nonsense", () => {
    expect(parseIntervalMinutes("15")).toBe(15);
    expect(parseIntervalMinutes(undefined)).toBe(30);
    expect(parseIntervalMinutes("0")).toBe(30);
    expect(parseIntervalMinutes("soon")).toBe(30);
  });
});
