import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../worker/domain/audit.ts";
import { pdfBytes } from "../helpers/files.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, createToken, staffSession } from "../helpers/staff.ts";
import { uploadAll } from "../helpers/tus.ts";

const admin = await staffSession("admin");
const coordinator = await staffSession("coordinator");
const owner = await createStaff("coordinator");
const exportToken = await createToken(["export", "originals"], { ownerId: owner.id });
const tokenName = await env.DB.prepare("SELECT name FROM api_tokens WHERE owner_id = ?")
  .bind(owner.id)
  .first<string>("name");

async function submitWithFile(): Promise<{ id: string; fileId: string }> {
  const fileId = await uploadAll(pdfBytes(3000, 5), "exhibit.pdf");
  const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments: [fileId] });
  expect(res.status).toBe(201);
  return { id: ((await res.json()) as { id: string }).id, fileId };
}

async function audit(after = 0): Promise<AuditEntry[]> {
  const res = await call(`/api/v1/audit?after=${after}&limit=1000`, { headers: { Cookie: admin.cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as AuditEntry[];
}

describe("the audit log", () => {
  it("records every download, naming the staff member or the token and its owner", async () => {
    const { id, fileId } = await submitWithFile();
    const bySession = await call(`/api/v1/recommendations/${id}/attachments/${fileId}?variant=original`, {
      headers: { Cookie: coordinator.cookie },
    });
    expect(bySession.status).toBe(200);
    await bySession.arrayBuffer();
    const byToken = await call(`/api/v1/recommendations/${id}/attachments/${fileId}`, {
      headers: { Authorization: `Bearer ${exportToken}` },
    });
    expect(byToken.status).toBe(200);
    await byToken.arrayBuffer();
    const mine = (await audit()).filter((e) => e.subject === id);
    expect(mine).toEqual([
      expect.objectContaining({
        actor: coordinator.email,
        action: "download",
        details: { file: fileId, variant: "original" },
      }),
      expect.objectContaining({
        actor: `token ${tokenName} (${owner.email})`,
        action: "download",
        details: { file: fileId, variant: "default" },
      }),
    ]);
  });

  it("records an export once it is read to its end, with its filters and how many rows went out", async () => {
    await submitWithFile();
    const country = "UA";
    const res = await call(`/api/v1/exports/recommendations.ndjson?country=${country}`, {
      headers: { Authorization: `Bearer ${exportToken}` },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const entry = (await audit()).filter((e) => e.action === "export").at(-1);
    expect(entry).toMatchObject({
      actor: `token ${tokenName} (${owner.email})`,
      subject: "recommendations",
      details: { format: "ndjson", filters: { country }, rows: lines.length, complete: true },
    });
  });

  it("keeps one unbroken chain under concurrent downloads, and never a sealed value", async () => {
    const { id, fileId } = await submitWithFile();
    const before = (await audit()).length;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const res = await call(`/api/v1/recommendations/${id}/attachments/${fileId}`, {
          headers: { Authorization: `Bearer ${exportToken}` },
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }),
    );
    const entries = await audit();
    expect(entries.length).toBe(before + 12);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const page = await (await call("/admin", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain(`The audit log holds: all ${entries.length} entries recompute.`);
    expect(page).toContain('data-testid="audit"');
    const all = await env.DB.prepare("SELECT * FROM audit").all();
    expect(JSON.stringify(all.results)).not.toContain(sampleRecommendation().submitter.contact_email);
  });

  it("shows an edited entry on the admin page", async () => {
    const { id, fileId } = await submitWithFile();
    await (
      await call(`/api/v1/recommendations/${id}/attachments/${fileId}`, { headers: { Cookie: coordinator.cookie } })
    ).arrayBuffer();
    const [entry] = (await audit()).filter((e) => e.subject === id);
    await env.DB.prepare("UPDATE audit SET actor = 'nobody@example.org' WHERE seq = ?").bind(entry?.seq).run();
    const page = await (await call("/admin", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain(`entry ${entry?.seq} does not fit the entries before it`);
  });

  it("is for admins only", async () => {
    expect((await call("/api/v1/audit", { headers: { Cookie: coordinator.cookie } })).status).toBe(403);
    const coordinatorsToken = await createToken(["export"]);
    const refused = await call("/api/v1/audit", { headers: { Authorization: `Bearer ${coordinatorsToken}` } });
    expect(refused.status).toBe(403);
    const adminsToken = await createToken(["export"], { ownerId: admin.id });
    const allowed = await call("/api/v1/audit", { headers: { Authorization: `Bearer ${adminsToken}` } });
    expect(allowed.status).toBe(200);
    expect((await call("/api/v1/audit")).status).toBe(401);
  });
});
