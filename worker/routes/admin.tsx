import { Hono } from "hono";
import { staffTranslator } from "../../web/i18n/index.ts";
import { AdminPage, type AuditView } from "../../web/pages/AdminPage.tsx";
import { page } from "../../web/render.ts";
import { latestAudit } from "../db/audit.ts";
import { listTokens } from "../db/staff.ts";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import { requireStaff, signedIn } from "../security/require-staff.ts";
import { verifyAuditLog } from "../services/audit.ts";
import { reconcileBatch } from "../services/reconcile.ts";

/** Admin-only maintenance: rebuilding the queue projection from the objects. */
export const admin = new Hono<AppEnv>();

admin.use("*", requireStaff());
admin.use("*", async (c, next) => {
  if (signedIn(c).role !== "admin") throw new AppError(403, staffTranslator(signedIn(c).locale)("admin.forbidden"));
  await next();
});

/** The audit log's newest entries, and whether all of it recomputes. */
async function auditView(env: Env): Promise<AuditView> {
  const [latest, verdict] = await Promise.all([latestAudit(env.DB, 100), verifyAuditLog(env)]);
  return { latest, ...verdict };
}

admin.get("/", async (c) => {
  const [tokens, audit] = await Promise.all([listTokens(c.env.DB), auditView(c.env)]);
  return page(
    c,
    <AdminPage t={staffTranslator(signedIn(c).locale)} tokens={tokens} audit={audit} csrf={signedIn(c).csrf} />,
  );
});

admin.post("/reconcile", async (c) => {
  const form = await c.req.parseBody();
  const after = Math.max(0, Number(form.after) || 0);
  const total = Math.max(0, Number(form.total) || 0);
  const batch = await reconcileBatch(c.env, after);
  const [tokens, audit] = await Promise.all([listTokens(c.env.DB), auditView(c.env)]);
  return page(
    c,
    <AdminPage
      t={staffTranslator(signedIn(c).locale)}
      tokens={tokens}
      audit={audit}
      csrf={signedIn(c).csrf}
      done={{ ...batch, total: total + batch.processed }}
    />,
  );
});
