import { doubleMetaphone } from "double-metaphone";
import { normalizeName, orders, skeleton } from "./names.ts";
import type { Party } from "./screening.ts";

/**
 * Sanctions lists as FollowTheMoney entities (one JSON object a line:
 * `{ id, schema, properties, datasets }`, as OpenSanctions publishes them):
 * the people and organisations they name become parties to screen against,
 * with the programmes their Sanction entities name, and the keys that find
 * them among many.
 */

export interface FtmLine {
  id: string;
  schema: string;
  properties?: Record<string, unknown>;
  datasets?: string[];
}

/** A listed person or organisation, as stored. */
export interface ListedEntity {
  id: string;
  schema: string;
  caption: string;
  datasets: string[];
  party: Party;
  /** Programme ids (`US-GLOMAG`, `GB-HR`…) from the list's Sanction entities for it. */
  programs: string[];
}

const PERSON = new Set(["Person"]);
const ORGANISATION = new Set(["Organization", "Company", "LegalEntity", "PublicBody"]);
const IDENTIFIERS = ["passportNumber", "idNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode"];

function values(props: Record<string, unknown> | undefined, ...names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const v = props?.[name];
    if (Array.isArray(v)) for (const item of v) if (typeof item === "string" && item.trim()) out.push(item.trim());
  }
  return [...new Set(out)];
}

/** The people and organisations of a list (other schemata, such as addresses and sanctions, say things about them). */
export function listedEntity(line: FtmLine): ListedEntity | null {
  const person = PERSON.has(line.schema);
  if (!person && !ORGANISATION.has(line.schema)) return null;
  const p = line.properties;
  const names = values(p, "name", "alias", "weakAlias", "previousName", "abbreviation");
  if (names.length === 0 || typeof line.id !== "string") return null;
  const birth = values(p, person ? "birthDate" : "incorporationDate")
    .map((d) => d.slice(0, 10))
    .filter((d) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d))
    .sort((a, b) => b.length - a.length)[0];
  const countries = values(p, ...(person ? ["nationality", "citizenship"] : ["jurisdiction", "country", "mainCountry"]))
    .filter((c) => /^[a-z]{2}$/i.test(c))
    .map((c) => c.toUpperCase());
  return {
    id: line.id,
    schema: line.schema,
    caption: names[0] as string,
    datasets: [...new Set(line.datasets ?? [])].sort(),
    party: {
      kind: person ? "person" : "entity",
      names,
      birth_date: birth,
      nationalities: [...new Set(countries)],
      identifiers: IDENTIFIERS.flatMap((type) => values(p, type).map((number) => ({ type, number }))),
    },
    programs: [],
  };
}

/** A Sanction entity's target and programme, to put beside the target. */
export function sanctionOf(line: FtmLine): { entity: string; program: string } | null {
  if (line.schema !== "Sanction") return null;
  const entity = values(line.properties, "entity")[0];
  const program = values(line.properties, "programId", "program")[0];
  return entity && program ? { entity, program } : null;
}

/** The people and organisations of a file, each with the programmes its Sanction entities name. */
export function entitiesOf(lines: Iterable<FtmLine>): ListedEntity[] {
  const entities = new Map<string, ListedEntity>();
  const programs = new Map<string, Set<string>>();
  for (const line of lines) {
    const entity = listedEntity(line);
    if (entity) entities.set(entity.id, entity);
    const sanction = sanctionOf(line);
    if (sanction) programs.set(sanction.entity, (programs.get(sanction.entity) ?? new Set()).add(sanction.program));
  }
  return [...entities.values()].map((e) => ({ ...e, programs: [...(programs.get(e.id) ?? [])].sort() }));
}

/** The countries whose lists name an entity, from OpenSanctions' dataset names (`us_ofac_sdn` → US, `eu_fsf` → EU). */
export function listCountries(datasets: readonly string[]): string[] {
  return [
    ...new Set(datasets.map((d) => d.split("_")[0]?.toUpperCase() ?? "").filter((c) => /^[A-Z]{2}$/.test(c))),
  ].sort();
}

const MAX_KEYS = 40;

/**
 * The keys that find a party among many before it is scored: each name
 * part's phonetic code and consonants, and the parts run together (a
 * Chinese name is one part; its Latin spelling two). Spellings that differ
 * still share most of them.
 */
export function nameKeys(party: Pick<Party, "names">): string[] {
  const keys = new Set<string>();
  for (const name of party.names) {
    const { tokens } = normalizeName(name);
    for (const token of tokens) {
      if (token.length < 2) continue;
      const [code] = doubleMetaphone(token);
      if (code) keys.add(`p:${code}`);
      const consonants = skeleton(token);
      if (consonants.length >= 2) keys.add(`s:${consonants}`);
    }
    // Run together in every order: 陈全国 is one part, "Quanguo Chen" two.
    if (tokens.length > 1 && tokens.length <= 3) {
      for (const order of orders(tokens)) {
        const [code] = doubleMetaphone(order.join(""));
        if (code) keys.add(`p:${code}`);
      }
    }
  }
  return [...keys].slice(0, MAX_KEYS);
}
