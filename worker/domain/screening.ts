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

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aHit = new Array<boolean>(a.length).fill(false);
  const bHit = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bHit[j] || a[i] !== b[j]) continue;
      aHit[i] = bHit[j] = true;
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
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
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
  return Math.max(0, 1 - (1 - jaroWinkler(a, b)) * STRETCH);
}
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
  for (const x of a) sum += Math.max(...b.map((y) => similar(x, y)));
  return sum / a.length;
}

function bothWays(a: readonly string[], b: readonly string[], similar: (x: string, y: string) => number): number {
  return (covered(a, b, similar) + covered(b, a, similar)) / 2;
}

/** The tokens run together, in any order of one side: 陈全国 "chenquanguo" against "Quanguo Chen". */
function joined(a: readonly string[], b: readonly string[]): number {
  const whole = (tokens: readonly string[], others: readonly string[]) =>
    Math.max(...orders(tokens).map((p) => closeness(p.join(""), others.join(""))));
  return Math.max(whole(a, b), whole(b, a));
}

/**
 * Both ways, and the shorter name found whole in the longer one: a name
 * without its patronymic or middle names is still most likely the same.
 */
function alike(a: readonly string[], b: readonly string[], similar: (x: string, y: string) => number): number {
  // Either side may be the shorter one (both, at equal length): the same answer whichever comes first.
  const within = (x: readonly string[], y: readonly string[]) =>
    x.length >= 2 && x.length <= y.length ? 0.9 * covered(x, y, similar) : 0;
  return Math.max(bothWays(a, b, similar), within(a, b), within(b, a));
}

/** Two names, 0–1. */
export function nameSimilarity(a: NormalName, b: NormalName): number {
  if (a.tokens.length === 0 || b.tokens.length === 0) return 0;
  let best = Math.max(alike(a.tokens, b.tokens, tokenSimilarity), joined(a.tokens, b.tokens));
  if (a.consonantal || b.consonantal) {
    // Written without short vowels: the consonants are what both spellings share.
    const sa = a.tokens.map(skeleton).filter(Boolean);
    const sb = b.tokens.map(skeleton).filter(Boolean);
    best = Math.max(best, 0.95 * alike(sa, sb, closeness));
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
function distinctNames(names: readonly string[]): string[] {
  if (names.length < 2) return [...names];
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
