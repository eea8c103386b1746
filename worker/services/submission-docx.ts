import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { translator } from "../../web/i18n/index.ts";
import { listAttachments } from "../db/attachments.ts";
import { findById } from "../db/recommendations.ts";
import { toHex } from "../domain/encoding.ts";
import type { Programme } from "../domain/filings.ts";
import { type OpenRecord, readRecord } from "../domain/sensitive.ts";

/**
 * The submission for one government as an editable Word document, in the
 * order governments' own templates ask for it: who submits, each target with
 * identifiers and relations, the conduct and incidents, why sanctions, an
 * index of the evidence with SHA-256, and exculpatory material. Only evidence
 * whose consent allows governments goes in; contact details and safety notes
 * never do. A coordinator edits it before sending.
 */

const en = translator("en");

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_1) =>
  new Paragraph({ text, heading: level });
const para = (text: string | undefined | null) => new Paragraph({ children: [new TextRun(text ?? "")] });
/** A label in bold, then the value: "Nationality: RU". Nothing when there is no value. */
const fact = (label: string, value: string | undefined | null) =>
  value ? [new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] })] : [];

function table(header: readonly string[], rows: readonly (readonly string[])[]): Table {
  const cell = (text: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) })),
    ],
  });
}

export interface SubmissionFile {
  id: string;
  filename: string;
  size: number;
  sha256: string;
}

/** The document's sections, built from the stored record (pure but for the library). */
export function submissionDocument(input: {
  reference: string;
  programme: Programme;
  /** The record as stored in clear: never the contact details or safety notes. */
  record: OpenRecord;
  files: readonly SubmissionFile[];
  /** The day written on it (the document holds no clock of its own). */
  date: string;
}): Document {
  const { record: rec, programme } = input;
  const named = rec.submitter.may_be_named;
  const targetName = (i: number | null) => (i === null ? "" : (rec.targets[i]?.name ?? ""));
  const items = rec.evidence.items.filter((item) => item.consent.governments);
  const withheld = rec.evidence.items.length - items.length;
  const fileOf = new Map(input.files.map((f) => [f.id, f]));
  const coSigners = rec.co_signers.filter((c) => c.may_be_named).map((c) => c.organization);

  const children = [
    new Paragraph({ text: `Submission for targeted sanctions`, heading: HeadingLevel.TITLE }),
    para(en(`jurisdiction.${programme}`)),
    ...fact("Reference", input.reference),
    ...fact("Date", input.date),

    heading("1. Submitting organisation"),
    ...(named
      ? [
          ...fact("Organisation", rec.submitter.organization),
          ...fact("Country", rec.submitter.country),
          ...fact("About", rec.submitter.about),
        ]
      : [para("Submitted by the coalition on behalf of a member organisation that asked not to be named.")]),
    ...fact("Also supported by", coSigners.join("; ")),

    heading("2. Proposed designees"),
    ...rec.targets.flatMap((t, i) => [
      heading(`${i + 1}. ${t.name}`, HeadingLevel.HEADING_2),
      ...fact("Kind", t.kind === "person" ? "Individual" : "Entity"),
      ...fact("Name in Latin script", t.name_latin),
      ...fact("Also known as", t.aliases.join("; ")),
      ...fact("Date of birth", t.birth_date),
      ...fact("Place of birth", t.birth_place),
      ...fact("Nationality", t.nationalities.join(", ")),
      ...fact("Gender", t.gender),
      ...fact(
        "Positions",
        t.positions
          .map((p) =>
            [p.title, p.organization, p.country, [p.from, p.to].filter(Boolean).join("–")].filter(Boolean).join(", "),
          )
          .join("; "),
      ),
      ...fact("Addresses", t.addresses.map((a) => [a.text, a.country].filter(Boolean).join(", ")).join("; ")),
      ...fact("Assets", t.assets),
      ...(t.identifiers.length
        ? [
            table(
              ["Identifier", "Number", "Country"],
              t.identifiers.map((d) => [d.type, d.number, d.country ?? ""]),
            ),
          ]
        : []),
    ]),
    ...(rec.relations.length
      ? [
          heading("Relations", HeadingLevel.HEADING_2),
          table(
            ["From", "Relation", "To", "Note"],
            rec.relations.map((r) => [
              targetName(r.from),
              r.kind,
              r.to === null ? (r.name ?? "") : targetName(r.to),
              r.note ?? "",
            ]),
          ),
        ]
      : []),

    heading("3. Conduct"),
    ...fact("Categories", rec.conduct.categories.map((c) => en(`category.${c}`)).join("; ")),
    ...fact("Role", rec.conduct.involvement.join(", ")),
    ...fact("Country", rec.conduct.country),
    ...fact("Period", [rec.conduct.period_start, rec.conduct.period_end].filter(Boolean).join(" – ")),
    para(rec.conduct.summary),
    ...fact("Victims", rec.conduct.victims),
    ...(rec.conduct.incidents.length
      ? [
          heading("Incidents", HeadingLevel.HEADING_2),
          table(
            ["Date", "Place", "What happened", "Victims"],
            rec.conduct.incidents.map((x) => [
              x.date ?? "",
              [x.place, x.country].filter(Boolean).join(", "),
              x.description,
              x.victims_count === undefined ? "" : String(x.victims_count),
            ]),
          ),
        ]
      : []),

    heading("4. Why sanctions"),
    para(rec.impact ?? ""),

    heading("5. Evidence"),
    para(rec.evidence.description),
    ...(withheld
      ? [
          para(
            `${withheld} further item(s) are held by the coalition and not included: their source did not agree to share them with governments.`,
          ),
        ]
      : []),
    table(
      ["#", "Kind", "Description", "Source and date", "Files (SHA-256)"],
      items.map((item, i) => [
        String(i + 1),
        item.kind,
        item.description,
        [item.source, item.date, item.url, item.archive_url].filter(Boolean).join(", "),
        item.attachments
          .map((id) => fileOf.get(id))
          .filter((f): f is SubmissionFile => Boolean(f))
          .map((f) => `${f.filename} (${f.size} bytes) sha256:${f.sha256}`)
          .join("\n"),
      ]),
    ),

    heading("6. Exculpatory material"),
    para(rec.evidence.exculpatory || "None known to the submitter."),
    new Paragraph({
      alignment: AlignmentType.LEFT,
      children: [new TextRun({ text: `Prepared with Dossier from recommendation ${input.reference}.`, italics: true })],
    }),
  ];
  return new Document({
    creator: "Dossier",
    title: `${input.reference}: ${en(`jurisdiction.${programme}`)}`,
    sections: [{ children }],
  });
}

/** The document for one recommendation and programme, as bytes with their SHA-256; null when there is no such recommendation. */
export async function buildSubmissionDocx(
  env: Env,
  id: string,
  programme: Programme,
  now = new Date(),
): Promise<{ reference: string; bytes: ArrayBuffer; sha256: string } | null> {
  const row = await findById(env.DB, id);
  if (!row) return null;
  const files = await listAttachments(env.DB, row.seq);
  const document = submissionDocument({
    reference: row.reference,
    programme,
    record: readRecord(row.record),
    files,
    date: now.toISOString().slice(0, 10),
  });
  const bytes = await Packer.toArrayBuffer(document);
  return {
    reference: row.reference,
    bytes,
    sha256: toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))),
  };
}
