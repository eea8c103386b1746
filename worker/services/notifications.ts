import { staffTranslator, translator } from "../../web/i18n/index.ts";
import {
  dueStaffDigests,
  dueSubmitterNotices,
  fileStatements,
  type StaffDigest,
  staffMailedStatements,
  submitterToldStatements,
} from "../db/notifications.ts";
import { listActiveStaff } from "../db/staff.ts";
import { isLocale, isStaffLocale } from "../domain/locales.ts";
import { type Notice, parseIntervalMinutes, recipientsOf } from "../domain/notifications.ts";
import { openSealed } from "./present.ts";

/**
 * Puts notices on the notifications queue (the workflow object puts its own;
 * this is for what is not an event of a log, a suggested outcome). A notice
 * that cannot be queued is lost, not retried: the action it follows stands.
 */
export async function announce(env: Env, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  try {
    await env.NOTIFICATIONS.sendBatch(notices.map((body) => ({ body })));
  } catch (error) {
    console.error("notices not queued", notices.length, String(error));
  }
}

/** The queue's consumer: files each notice in the inbox of those it concerns, then mails whoever is due. */
export async function fileNotices(env: Env, notices: readonly Notice[], now = new Date()): Promise<void> {
  const staff = await listActiveStaff(env.DB);
  const statements = notices.flatMap((notice) => fileStatements(env.DB, notice, recipientsOf(notice, staff)));
  if (statements.length > 0) await env.DB.batch(statements);
  await sendDigests(env, now);
}

/** Whether mail can go: the binding is there and a sender is configured. */
function mailer(env: Env): { send: (mail: EmailMessageBuilder) => Promise<unknown>; from: string } | null {
  const from = env.MAIL_FROM?.trim();
  return env.MAIL && from ? { send: (mail) => env.MAIL.send(mail), from } : null;
}

/**
 * Mails everyone who is due: staff with unread items nobody mailed yet,
 * submitters with a message waiting who asked to be told, each at most once
 * per `MAIL_INTERVAL_MINUTES`. Called after each batch of notices and by the
 * Cron Trigger, which sends what waited for an interval to pass. Without a
 * configured sender nothing is sent and nothing is marked: the inbox fills.
 */
export async function sendDigests(env: Env, now = new Date()): Promise<{ staff: number; submitters: number }> {
  const mail = mailer(env);
  if (!mail) return { staff: 0, submitters: 0 };
  const since = new Date(now.getTime() - parseIntervalMinutes(env.MAIL_INTERVAL_MINUTES) * 60_000).toISOString();
  const at = now.toISOString();
  let staff = 0;
  for (const digest of await dueStaffDigests(env.DB, since)) {
    try {
      await mail.send({ from: mail.from, to: digest.email, ...staffDigest(env, digest) });
      await env.DB.batch(staffMailedStatements(env.DB, digest.staffId, at));
      staff++;
    } catch (error) {
      // The error's name only: a mail error's message may carry the address it was for.
      console.error("a staff digest was not sent; the next run tries again", errorName(error));
    }
  }
  let submitters = 0;
  for (const notice of await dueSubmitterNotices(env.DB, since)) {
    const sealed = await openSealed(env, { id: notice.recId, sealed: notice.sealed });
    const to = sealed?.notify ? sealed.contact_email : null;
    try {
      if (to) await mail.send({ from: mail.from, to, ...submitterMail(env, notice.language) });
      await env.DB.batch(submitterToldStatements(env.DB, notice.recId, to ? at : null));
      if (to) submitters++;
    } catch (error) {
      console.error("a submitter's notice was not sent; the next run tries again", errorName(error));
    }
  }
  return { staff, submitters };
}

function link(env: Env, path: string): string {
  return `${env.PUBLIC_URL?.replace(/\/+$/, "") ?? ""}${path}`;
}

/** A staff digest: references, what happened and links, never a name or a word of the case. */
function staffDigest(env: Env, digest: StaffDigest): { subject: string; text: string } {
  const t = staffTranslator(isStaffLocale(digest.locale) ? digest.locale : "en");
  const lines = digest.items.map(
    (item) => `${item.reference} · ${t(`notice.${item.kind}`)} · ${link(env, `/review/${item.recId}`)}`,
  );
  return {
    subject: t("mail.digest.subject", { count: digest.items.length }),
    text: [t("mail.digest.intro"), "", ...lines, "", t("mail.digest.footer", { url: link(env, "/review") })].join("\n"),
  };
}

/** The submitter's mail says only that a message waits, in their language: what it is about stays behind the receipt. */
function submitterMail(env: Env, language: string): { subject: string; text: string } {
  const t = translator(isLocale(language) ? language : "en");
  const url = link(env, `/${isLocale(language) ? language : "en"}/status`);
  return { subject: t("mail.subject"), text: t("mail.body", { url }) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "error";
}
