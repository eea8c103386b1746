/** `npm run docs`: writes the README's generated tables again: the workflow (worker/domain/workflow.ts) and the data lifecycle (worker/domain/lifetimes.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LIFETIMES_END, LIFETIMES_START, lifetimesTable } from "../worker/domain/lifetimes.ts";
import { TABLE_END, TABLE_START, workflowTable } from "../worker/domain/workflow-table.ts";
import { ROOT } from "./lib/wrangler.ts";

const file = join(ROOT, "README.md");
let readme = readFileSync(file, "utf8");
const tables: [string, string, string][] = [
  [TABLE_START, TABLE_END, workflowTable()],
  [LIFETIMES_START, LIFETIMES_END, lifetimesTable()],
];
for (const [startMark, endMark, table] of tables) {
  const start = readme.indexOf(startMark);
  const end = readme.indexOf(endMark);
  if (start < 0 || end < start) throw new Error(`README.md has no ${startMark} … ${endMark} block`);
  readme = `${readme.slice(0, start + startMark.length)}\n${table}\n${readme.slice(end)}`;
}
writeFileSync(file, readme);
console.log("README.md: workflow and data lifecycle tables written from worker/domain/");
