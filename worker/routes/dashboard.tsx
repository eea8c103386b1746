import { Hono } from "hono";
import { staffTranslator } from "../../web/i18n/index.ts";
import { DashboardPage } from "../../web/pages/DashboardPage.tsx";
import { page } from "../../web/render.ts";
import type { AppEnv } from "../env.ts";
import { requireStaff, signedIn } from "../security/require-staff.ts";
import { statistics } from "../services/stats.ts";

/** The coalition's dashboard, for staff: the figures of GET /api/v1/stats as charts with their tables. */
export const dashboard = new Hono<AppEnv>();

dashboard.use("*", requireStaff());

dashboard.get("/", async (c) =>
  page(c, <DashboardPage t={staffTranslator(signedIn(c).locale)} stats={await statistics(c.env)} />),
);
