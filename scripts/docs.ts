/** `npm run docs`: writes the README's workflow table again from the table in worker/domain/workflow.ts. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TABLE_END, TABLE_START, workflowTable } from "../worker/domain/workflow-table.ts";
import { ROOT } from "./lib/wrangler.ts";

const file = join(ROOT, "README.md");
const readme = readFileSync(file, "utf8");
const start = readme.indexOf(TABLE_START);
const end = readme.indexOf(TABLE_END);
if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} block`);
writeFileSync(file, `${readme.slice(0, start + TABLE_START.length)}\n${workflowTable()}\n${readme.slice(end)}`);
console.log("README.md: workflow table written from worker/domain/workflow.ts");
