import { doubleMetaphone } from "double-metaphone";
import { initials, type NormalName, normalizeName, orders, skeleton } from "./names.ts";

/**
 * Is this the same person or company? Names are compared across scripts and
 * spellings, part by part (Jaro-Winkler, with a phonetic key), every name
 * against every alias on both sides; birth date, nationality, kind and
 * identity documents raise or lower the score. Everything is symmetric:
 * comparing A with B gives what comparing B with A gives.
 */

/** What screening knows of a target or a listed entity. */
export interface Party {
  kind?: "person" | "entity";
  names: readonly string[];
  birth_date?: string;
  nationalities?: readonly string[];
  identifiers?: readonly { type?: string; number: string }[];
}

export interface Match {
  score: number;
  /** Why, in plain words, for the reviewer. */
  reasons: string[];
}

/** Candidates below this are not shown. */
export const SHOW_FROM = 0.5;
/** From here (or when a reviewer said "same") the queue marks a possible duplicate or listing. */
export const MARK_FROM = 0.8;

/** Which characters of each side found a partner: reused, as scoring calls this a few thousand times a screening. */
let aHit = new Uint8Array(64);
let bHit = new Uint8Array(64);

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  if (aHit.length < a.length) aHit = new Uint8Array(a.length * 2);
  if (bHit.length < b.length) bHit = new Uint8Array(b.length * 2);
  aHit.fill(0, 0, a.length);
  bHit.fill(0, 0, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    const end = Math.min(b.length, i + window + 1);
    for (let j = Math.max(0, i - window); j < end; j++) {
      if (bHit[j] || c !== b.charCodeAt(j)) continue;
      aHit[i] = bHit[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aHit[i]) continue;
    while (!bHit[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a.charCodeAt(prefix) === b.charCodeAt(prefix))
    prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const phoneticCache = new Map<string, string[]>();
function phonetic(token: string): string[] {
  let codes = phoneticCache.get(token);
  if (!codes) {
    codes = doubleMetaphone(token);
    if (phoneticCache.size > 50_000) phoneticCache.clear();
    phoneticCache.set(token, codes);
  }
  return codes;
}

/**
 * Jaro-Winkler is generous (0.8 for two unrelated surnames of one shape):
 * stretched so that only close spellings keep a high value.
 */
export function closeness(a: string, b: string): number {
  // The same parts meet again and again (a common given name against each
  // candidate that shares it): each pair is worked out once. Two lookups of
  // strings a name keeps (their hashes are kept with them) cost less than
  // building a key for the pair.
  let row = closenessCache.get(a);
  if (!row) {
    if (closenessCache.size > 20_000) closenessCache.clear();
    row = new Map();
    closenessCache.set(a, row);
  }
  let close = row.get(b);
  if (close === undefined) {
    close = Math.max(0, 1 - (1 - jaroWinkler(a, b)) * STRETCH);
    if (row.size > 2_000) row.clear();
    row.set(b, close);
  }
  return close;
}
const closenessCache = new Map<string, Map<string, number>>();
const STRETCH = 2.5;

/** Two tokens: how close their spelling is, lifted when they also sound alike (Mohammed, Muhammad). */
function tokenSimilarity(a: string, b: string): number {
  const close = closeness(a, b);
  if (close >= 0.85 || close < 0.5 || a.length < 3 || b.length < 3) return close;
  const [pa, pb] = [phonetic(a), phonetic(b)];
  return pa.some((code) => code && pb.includes(code)) ? 0.85 : close;
}

/** How well the tokens of `a` find a partner in `b`, on average (part order does not matter). */
function covered(a: readonly string[], b: readonly string[], similar: (x: string, y: string) => number): number {
  if (a.length === 0 || b.length === 0) return 0;
  let sum = 0;
  for (const x of a) {
    let best = 0;
    for (const y of b) best = Math.max(best, similar(x, y));
    sum += best;
  }
  return sum / a.length;
}

/** A name's parts run together in every order, and its consonants: worked out once per name. */
interface Forms {
  runTogether: string[];
  whole: string;
  skeletons: string[];
}
const formsCache = new WeakMap<NormalName, Forms>();
function formsOf(name: NormalName): Forms {
  let forms = formsCache.get(name);
  if (!forms) {
    forms = {
      runTogether: orders(name.tokens).map((order) => order.join("")),
      whole: name.tokens.join(""),
      skeletons: name.tokens.map(skeleton).filter(Boolean),
    };
    formsCache.set(name, forms);
  }
  return forms;
}

/** The tokens run together, in any order of one side: 陈全国 "chenquanguo" against "Quanguo Chen". */
function joined(a: Forms, b: Forms): number {
  let best = 0;
  for (const order of a.runTogether) best = Math.max(best, closeness(order, b.whole));
  for (const order of b.runTogether) best = Math.max(best, closeness(order, a.whole));
  return best;
}

/**
 * Both ways, and the shorter name found whole in the longer one: a name
 * without its patronymic or middle names is still most likely the same.
 */
function alike(a: readonly string[], b: readonly string[], similar: (x: string, y: string) => number): number {
  const ab = covered(a, b, similar);
  const ba = covered(b, a, similar);
  // Either side may be the shorter one (both, at equal length): the same answer whichever comes first.
  const within = (x: readonly string[], y: readonly string[], xy: number) =>
    x.length >= 2 && x.length <= y.length ? 0.9 * xy : 0;
  return Math.max((ab + ba) / 2, within(a, b, ab), within(b, a, ba));
}

/** Two names, 0–1. */
export function nameSimilarity(a: NormalName, b: NormalName): number {
  if (a.tokens.length === 0 || b.tokens.length === 0) return 0;
  const [fa, fb] = [formsOf(a), formsOf(b)];
  let best = Math.max(alike(a.tokens, b.tokens, tokenSimilarity), joined(fa, fb));
  if (a.consonantal || b.consonantal) {
    // Written without short vowels: the consonants are what both spellings share.
    best = Math.max(best, 0.95 * alike(fa.skeletons, fb.skeletons, closeness));
  }
  return Math.min(1, best);
}

/** An acronym against the name it stands for (IRGC, Islamic Revolutionary Guard Corps). */
function acronym(x: string, y: string): number {
  const short = normalized(x).tokens;
  if (short.length !== 1 || !/^[a-z]{2,8}$/.test(short[0] ?? "")) return 0;
  return initialsOf(y) === short[0] ? 0.9 : 0;
}

const normalCache = new Map<string, NormalName>();
/** Normalised once per name: screening compares each against many. */
export function normalized(name: string): NormalName {
  let normal = normalCache.get(name);
  if (!normal) {
    normal = normalizeName(name);
    if (normalCache.size > 50_000) normalCache.clear();
    normalCache.set(name, normal);
  }
  return normal;
}

const initialsCache = new Map<string, string>();
function initialsOf(name: string): string {
  let found = initialsCache.get(name);
  if (found === undefined) {
    found = initials(name);
    if (initialsCache.size > 50_000) initialsCache.clear();
    initialsCache.set(name, found);
  }
  return found;
}

/**
 * A party's names, one of each that compares alike: a name, its Latin
 * spelling and its parts often come out as the same tokens. What a name
 * scores depends only on its tokens, whether it is consonantal and its
 * initials, so keeping the first of each such group changes neither the
 * score nor the pair the reasons name (the first best pair, in order).
 */
function distinctNames(names: readonly string[]): readonly string[] {
  if (names.length < 2) return names;
  let distinct = distinctCache.get(names);
  if (!distinct) {
    distinct = alikeOnce(names);
    distinctCache.set(names, distinct);
  }
  return distinct;
}
/** By the party's own list of names: a party is compared with each of its candidates in turn. */
const distinctCache = new WeakMap<readonly string[], string[]>();

function alikeOnce(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const { tokens, consonantal } = normalized(name);
    const key = `${consonantal ? 1 : 0} ${tokens.join(" ")} ${initialsOf(name)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function bestNames(a: Party, b: Party): { score: number; pair: [string, string] } {
  let best = { score: 0, pair: ["", ""] as [string, string] };
  const others = distinctNames(b.names);
  for (const x of distinctNames(a.names)) {
    for (const y of others) {
      const score = Math.max(nameSimilarity(normalized(x), normalized(y)), acronym(x, y), acronym(y, x));
      if (score > best.score) best = { score, pair: [x, y] };
      // Nothing beats a full match: the same person filed again is scored once, not per alias.
      if (best.score >= 1) return best;
    }
  }
  return best;
}

const documentNumber = (n: string) => n.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Whether two partial dates (YYYY, YYYY-MM, YYYY-MM-DD) can be the same day, and whether they disagree. */
function dates(a: string, b: string): "same" | "compatible" | "different" {
  const n = Math.min(a.length, b.length);
  if (a.slice(0, n) !== b.slice(0, n)) return "different";
  return a.length === b.length ? "same" : "compatible";
}

/** What screening knows of a recommendation's target: every name it goes by, and what tells people apart. */
export function targetParty(target: {
  kind: "person" | "entity";
  name: string;
  name_latin?: string;
  aliases?: readonly string[];
  name_parts?: { given?: string; family?: string; patronymic?: string };
  birth_date?: string;
  nationalities?: readonly string[];
  identifiers?: readonly { type?: string; number: string }[];
}): Party {
  const parts = target.name_parts;
  const fromParts = parts ? [parts.given, parts.patronymic, parts.family].filter(Boolean).join(" ") : "";
  const names = [target.name, target.name_latin, ...(target.aliases ?? []), fromParts].filter(
    (n): n is string => typeof n === "string" && n.trim() !== "",
  );
  return {
    kind: target.kind,
    names: [...new Set(names)],
    birth_date: target.birth_date,
    nationalities: target.nationalities,
    identifiers: target.identifiers,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** How likely `a` and `b` are the same, 0–1, and why. */
export function compare(a: Party, b: Party): Match {
  const names = bestNames(a, b);
  let score = names.score;
  const reasons = [`names ${Math.round(names.score * 100)}% alike: ${names.pair[0]} ~ ${names.pair[1]}`];

  const numbers = new Set((a.identifiers ?? []).map((i) => documentNumber(i.number)).filter((n) => n.length >= 4));
  const shared = (b.identifiers ?? []).find((i) => numbers.has(documentNumber(i.number)));
  if (shared) {
    score = Math.max(score, 0.9) + 0.08;
    reasons.push(`same document number ${shared.number}`);
  }
  if (a.birth_date && b.birth_date) {
    const when = dates(a.birth_date, b.birth_date);
    if (when === "different") {
      // Another year of birth, or another day: most likely another person of the same name.
      score -= 0.3;
      reasons.push(`born on different dates (${a.birth_date}, ${b.birth_date})`);
    } else {
      score += when === "same" && a.birth_date.length === 10 ? 0.08 : 0.04;
      reasons.push(`same birth date ${a.birth_date.length >= b.birth_date.length ? a.birth_date : b.birth_date}`);
    }
  }
  const na = (a.nationalities ?? []).map((c) => c.toUpperCase());
  const nb = (b.nationalities ?? []).map((c) => c.toUpperCase());
  if (na.length > 0 && nb.length > 0) {
    const common = na.filter((c) => nb.includes(c)).sort();
    if (common.length > 0) {
      score += 0.04;
      reasons.push(`same nationality ${common.join(", ")}`);
    } else {
      score -= 0.1;
      reasons.push(`different nationality (${[...na].sort().join(", ")}; ${[...nb].sort().join(", ")})`);
    }
  }
  if (a.kind && b.kind && a.kind !== b.kind) {
    score -= 0.25;
    reasons.push("one is a person, the other an organisation");
  }
  return { score: round(Math.max(0, Math.min(1, score))), reasons };
}
