import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countByStep, listQueue } from "../../worker/db/recommendations.ts";
import { storedUnopened } from "../helpers/submit.ts";

/** The ids the queue lists for a search, and how many it counts. */
async function found(search: string): Promise<{ ids: string[]; counted: number }> {
  const rows = await listQueue(env.DB, { search }, 0, 50);
  const counts = await countByStep(env.DB, { search });
  return { ids: rows.map((r) => r.id), counted: Object.values(counts).reduce((a, b) => a + b, 0) };
}

describe("the queue's search by any part of a target's names", () => {
  it("finds the middle of a name in any case, a name of two characters, and % and _ as typed", async () => {
    const kadyrov = await storedUnopened("Рамзан Ахматович Кадыров");
    const wang = await storedUnopened("王伟");
    const percent = await storedUnopened("Fund 100% Trust_Co");

    // Not screened, so not in the full-text index: the names' own index finds them.
    expect(await found("АХМАТОВИЧ КАДЫ")).toEqual({ ids: [kadyrov], counted: 1 });
    expect(await found("матович")).toEqual({ ids: [kadyrov], counted: 1 });
    // Too short for the trigram index: the names are read.
    expect((await found("王伟")).ids).toEqual([wang]);
    expect((await found("伟")).ids).toEqual([wang]);
    // Wildcards and FTS5's syntax are text like any other.
    expect((await found("100% Trust_")).ids).toEqual([percent]);
    expect((await found("0%")).ids).toEqual([percent]);
    expect((await found('"Trust')).ids).toEqual([]);
    expect((await found("Fund 1000")).ids).toEqual([]);
  });

  it("follows a correction of the names, and finds each recommendation once", async () => {
    const id = await storedUnopened("Colonel Old Name");
    await env.DB.prepare("UPDATE recommendations SET target_names = ? WHERE id = ?")
      .bind("Colonel New Name\nКолонель Новый", id)
      .run();
    expect((await found("Old Name")).ids).toEqual([]);
    expect(await found("New Name")).toEqual({ ids: [id], counted: 1 });
    expect((await found("колонель")).ids).toEqual([id]);
  });
});
