import { Hono } from "hono";
import { staffTranslator } from "../../web/i18n/index.ts";
import { QueuePage } from "../../web/pages/QueuePage.tsx";
import { page } from "../../web/render.ts";
import { listByActivity } from "../db/recommendations.ts";
import type { AppEnv } from "../env.ts";
import { requireStaff, signedIn } from "../security/require-staff.ts";

/** The reviewers' pages. */
export const review = new Hono<AppEnv>();

review.use("*", requireStaff());

review.get("/", async (c) => {
  const rows = await listByActivity(c.env.DB, {}, 0, 50);
  return page(c, <QueuePage t={staffTranslator()} staff={signedIn(c)} rows={rows} />);
});
