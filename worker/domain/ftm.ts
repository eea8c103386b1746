import type { Filing, Programme } from "./filings.ts";
import type { JURISDICTIONS, RecommendationInput, UNDECIDED } from "./recommendation.ts";
import { PROGRAMMES as REGIMES } from "./regimes.ts";

/**
 * A recommendation as FollowTheMoney entities (the model OpenSanctions and
 * many investigators use): each target as Person or Organization with its
 * addresses (Address), positions (Position + Occupancy) and identity
 * documents (Passport or Identification); the relations between them (Family,
 * Associate, Ownership, Directorship, Membership, UnknownLink for the rest); evidence
 * files (Document + Documentation); and a Sanction with status "Recommended"
 * per target and programme asked to act, under OpenSanctions' programme id
 * where it has one. The narrative goes into `notes`. Ids derive from the
 * recommendation's id, so they are the same in every export.
 */
export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

export interface FtmSource {
  id: string;
  reference: string;
  created_at: string;
  relations?: readonly RecommendationInput["relations"][number][];
  targets: readonly RecommendationInput["targets"][number][];
  conduct: Pick<RecommendationInput["conduct"], "summary" | "country" | "categories">;
  jurisdictions: readonly ((typeof JURISDICTIONS)[number] | typeof UNDECIDED)[];
  files: { id: string; name: string; size: number; sha256: string; type: string }[];
  /** Filings with governments and their outcomes: they set each Sanction's status. */
  filings?: readonly Filing[];
}

/** Who decides on each programme, and under what name. */
const PROGRAMMES: Record<(typeof JURISDICTIONS)[number], { country: string; authority: string; program: string }> = {
  us_glomag: {
    country: "us",
    authority: "US Department of the Treasury, Office of Foreign Assets Control",
    program: "Global Magnitsky Human Rights Accountability Act / Executive Order 13818",
  },
  us_7031c: {
    country: "us",
    authority: "US Department of State",
    program: "Section 7031(c) visa restrictions",
  },
  uk_global_human_rights: {
    country: "gb",
    authority: "UK Foreign, Commonwealth and Development Office",
    program: "Global Human Rights sanctions regime",
  },
  uk_global_anti_corruption: {
    country: "gb",
    authority: "UK Foreign, Commonwealth and Development Office",
    program: "Global Anti-Corruption sanctions regime",
  },
  eu_global_human_rights: {
    country: "eu",
    authority: "Council of the European Union",
    program: "EU Global Human Rights Sanctions Regime",
  },
  ca_magnitsky: {
    country: "ca",
    authority: "Global Affairs Canada",
    program: "Justice for Victims of Corrupt Foreign Officials Act (Sergei Magnitsky Law)",
  },
  au_magnitsky: {
    country: "au",
    authority: "Australian Department of Foreign Affairs and Trade",
    program: "Autonomous Sanctions (Thematic Sanctions) — Magnitsky-style",
  },
};

/** Only non-empty strings, as FtM wants: every value a list of strings. */
function props(
  values: Record<string, (string | undefined | null)[] | string | undefined | null>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, raw] of Object.entries(values)) {
    const list = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === "string" && v.trim() !== "",
    );
    if (list.length > 0) out[key] = list;
  }
  return out;
}

const lower = (code: string | undefined) => code?.toLowerCase();

/** One target and what hangs off it: positions (Position + Occupancy) and identity documents. Target 0 keeps the ids of version 1. */
function targetEntities(rec: FtmSource, target: FtmSource["targets"][number], n: number): FtmEntity[] {
  const base = n === 0 ? `dossier-${rec.id}` : `dossier-${rec.id}-t${n}`;
  const targetId = targetIdOf(rec, n);
  const person = target.kind === "person";
  const entities: FtmEntity[] = [
    {
      id: targetId,
      schema: person ? "Person" : owned(rec, n) ? "Company" : "Organization",
      properties: props({
        name: target.name,
        alias: [target.name_latin, ...target.aliases],
        [person ? "birthDate" : "incorporationDate"]: target.birth_date,
        ...(person
          ? { birthPlace: target.birth_place, nationality: target.nationalities.map(lower) }
          : { jurisdiction: target.nationalities.map(lower) }),
        // The narrative is long: FtM's `summary` is a one-liner, `notes` the place for it.
        notes: `${rec.conduct.summary}\n\nRecommended for sanctions through Dossier, reference ${rec.reference}`,
        addressEntity: target.addresses.map((_, i) => `${base}-address-${i}`),
        address: target.addresses.map((a) => a.text),
      }),
    },
    ...target.addresses.map((address, i) => ({
      id: `${base}-address-${i}`,
      schema: "Address",
      properties: props({ full: address.text, country: lower(address.country) }),
    })),
  ];
  target.positions.forEach((position, i) => {
    const postId = `${base}-position-${i}`;
    entities.push({
      id: postId,
      schema: "Position",
      properties: props({
        name: position.organization ? `${position.title}, ${position.organization}` : position.title,
        country: lower(position.country),
      }),
    });
    entities.push({
      id: `${base}-occupancy-${i}`,
      schema: "Occupancy",
      properties: props({ holder: targetId, post: postId, startDate: position.from, endDate: position.to }),
    });
  });
  target.identifiers.forEach((identifier, i) => {
    entities.push({
      id: `${base}-identification-${i}`,
      schema: identifier.type === "passport" ? "Passport" : "Identification",
      properties: props({
        holder: targetId,
        number: identifier.number,
        type: identifier.type,
        country: lower(identifier.country),
      }),
    });
  });
  const asked = rec.jurisdictions.filter((j) => j !== "undecided");
  const filed = (rec.filings ?? []).map((f) => f.programme);
  for (const jurisdiction of [...new Set([...asked, ...filed])]) {
    const programme = PROGRAMMES[jurisdiction];
    const state = sanctionState(rec, jurisdiction, n);
    entities.push({
      id: `dossier-${rec.id}-sanction-${jurisdiction}${n === 0 ? "" : `-t${n}`}`,
      schema: "Sanction",
      properties: props({
        entity: targetId,
        authority: programme.authority,
        program: programme.program,
        // OpenSanctions' programme id where it publishes one, so a screening can match the list.
        programId: REGIMES[jurisdiction].programIds[0] ?? jurisdiction,
        country: programme.country,
        status: state.status,
        reason: rec.conduct.summary,
        date: state.date,
        startDate: state.status === "Designated" ? state.date : undefined,
        authorityId: state.reference,
        sourceUrl: state.source,
      }),
    });
  }
  return entities;
}

/**
 * Where a target stands with one programme: recommended (not filed yet),
 * filed (awaiting the answer), designated or not designated, from the
 * latest filing under it whose outcome concerns this target.
 */
function sanctionState(
  rec: FtmSource,
  programme: Programme,
  n: number,
): { status: string; date: string; reference?: string | null; source?: string | null } {
  const latest = (rec.filings ?? [])
    .filter((f) => f.programme === programme)
    .sort((a, b) => a.filed_on.localeCompare(b.filed_on))
    .at(-1);
  if (!latest) return { status: "Recommended", date: rec.created_at.slice(0, 10) };
  const outcome = latest.outcome;
  if (!outcome || (outcome.targets && !outcome.targets.includes(n))) return { status: "Filed", date: latest.filed_on };
  return {
    status: outcome.outcome === "designated" ? "Designated" : "Not designated",
    date: outcome.on,
    reference: outcome.list_reference,
    source: outcome.source_url,
  };
}

/** A target's entity id (target 0 keeps the id of version 1). */
function targetIdOf(rec: FtmSource, n: number): string {
  return n === 0 ? `dossier-${rec.id}-target` : `dossier-${rec.id}-target-${n}`;
}

/** Whether another target owns entity target `n`: then it is a Company (an Organization that is also an Asset). */
function owned(rec: FtmSource, n: number): boolean {
  return (rec.relations ?? []).some((r) => r.kind === "owns" && r.to === n);
}

/**
 * A relation as FtM's link schemata: Family and Associate between people,
 * Ownership of a company, Directorship and Membership into an organisation,
 * and the rest (controls, commands, or a pair the strict schemata do not
 * fit) as an UnknownLink naming its role. Someone named who is not a target
 * becomes an entity of their own (a Company when it is owned).
 */
function relationEntities(
  rec: FtmSource,
  relation: NonNullable<FtmSource["relations"]>[number],
  i: number,
): FtmEntity[] {
  const entities: FtmEntity[] = [];
  const from = targetIdOf(rec, relation.from);
  const fromPerson = rec.targets[relation.from]?.kind === "person";
  const personal = relation.kind === "family" || relation.kind === "associate";
  const owns = relation.kind === "owns";
  let to: string;
  let toPerson: boolean;
  if (relation.to === null) {
    to = `dossier-${rec.id}-related-${i}`;
    toPerson = personal;
    entities.push({
      id: to,
      schema: personal ? "Person" : owns ? "Company" : "LegalEntity",
      properties: props({ name: relation.name, notes: relation.note }),
    });
  } else {
    to = targetIdOf(rec, relation.to);
    toPerson = rec.targets[relation.to]?.kind === "person";
  }
  const id = `dossier-${rec.id}-relation-${i}`;
  const note = relation.note;
  if (personal && fromPerson && toPerson) {
    entities.push(
      relation.kind === "family"
        ? { id, schema: "Family", properties: props({ person: from, relative: to, relationship: note }) }
        : { id, schema: "Associate", properties: props({ person: from, associate: to, relationship: note }) },
    );
  } else if (owns && !toPerson) {
    entities.push({ id, schema: "Ownership", properties: props({ owner: from, asset: to, role: note }) });
  } else if ((relation.kind === "director_of" || relation.kind === "member_of") && !toPerson) {
    entities.push(
      relation.kind === "director_of"
        ? { id, schema: "Directorship", properties: props({ director: from, organization: to, role: note }) }
        : { id, schema: "Membership", properties: props({ member: from, organization: to, role: note }) },
    );
  } else {
    entities.push({
      id,
      schema: "UnknownLink",
      properties: props({ subject: from, object: to, role: note ? `${relation.kind}: ${note}` : relation.kind }),
    });
  }
  return entities;
}

export function toFtm(rec: FtmSource): FtmEntity[] {
  const base = `dossier-${rec.id}`;
  const targetId = `${base}-target`;
  const entities = rec.targets.flatMap((target, n) => targetEntities(rec, target, n));
  (rec.relations ?? []).forEach((relation, i) => {
    entities.push(...relationEntities(rec, relation, i));
  });

  for (const file of rec.files) {
    const documentId = `${base}-document-${file.id}`;
    entities.push({
      id: documentId,
      schema: "Document",
      properties: props({
        fileName: file.name,
        fileSize: String(file.size),
        mimeType: file.type,
        contentHash: `sha256:${file.sha256}`,
      }),
    });
    entities.push({
      id: `${base}-documentation-${file.id}`,
      schema: "Documentation",
      properties: props({ document: documentId, entity: targetId, role: "evidence" }),
    });
  }

  return entities;
}
