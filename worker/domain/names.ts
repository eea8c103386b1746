import anyAscii from "any-ascii";

/**
 * Names as matching sees them: any script transliterated to Latin letters
 * (any-ascii), lower case, no diacritics or punctuation, without titles,
 * connectors and company forms, in tokens. "Col. Рамзан Кадыров" and
 * "ramzan KADYROV" give the same tokens; 陈全国 gives "chenquanguo" as one
 * token (Chinese names are written without spaces, and so compared whole).
 */

/** Words that say what someone is, not who: titles, ranks, honorifics. */
const TITLES = new Set(
  "mr mrs ms miss dr prof sir lord lady gen general col colonel maj major lt lieutenant capt captain brig brigadier cmdr commander sgt adm admiral marshal vice senior retd sheikh shaykh sheik haji hajji hajj sayyid sayed seyed sayyed seyyed syd mullah imam ayatollah hojatoleslam emir amir begum daw prince princess king president minister judge".split(
    " ",
  ),
);
/** Short forms lists and people write for a name part ("Md." for Mohammad). */
const ABBREVIATIONS = new Map([
  ["md", "mohammad"],
  ["mohd", "mohammad"],
  ["muhd", "mohammad"],
]);

/** Words that join the parts of an organisation's name ("of", "and"): left out of its initials. */
const LINKS = new Set("of and the for de du des del la le et y i".split(" "));

/** An organisation's initials (Islamic Revolutionary Guard Corps → "irgc"), for names that are acronyms. */
export function initials(name: string): string {
  const words = anyAscii(name)
    .toLowerCase()
    .replace(/['`\u2019]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !LINKS.has(w));
  return words.length >= 2 ? words.map((w) => w[0]).join("") : "";
}

/** Words that join name parts ("bin", "al-", "van der"): they say little about who it is. */
const CONNECTORS = new Set("al el bin ibn bint binti ben van von der den de la le da do dos das du di y".split(" "));
/** Legal forms of companies, in the spellings lists use. */
const COMPANY_FORMS = new Set(
  "llc ltd limited inc incorporated co company corp corporation plc gmbh ag sa sarl srl bv nv jsc pjsc ojsc cjsc ooo oao zao ao tov pte pvt fze fzco lp llp".split(
    " ",
  ),
);

/**
 * Scripts whose names are also compared by consonants (`skeleton`): abjads
 * (Arabic, Persian, Hebrew) write no short vowels, and in Indic scripts and
 * Khmer the vowels any-ascii gives are not the ones Latin spellings use
 * (রহমান comes out "rhman", Rahman).
 */
const CONSONANTAL =
  /[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF\u0900-\u0DFF\u1780-\u17FF]/;
/** Scripts written without spaces between name parts. */
const UNSPACED = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u1000-\u109F\u0E00-\u0E7F\u1780-\u17FF]/;

export interface NormalName {
  /** The tokens, in the order written. */
  tokens: string[];
  /** Whether the name was written in a script whose vowels Latin spellings do not follow (Arabic, Bengali, Khmer…): compared by consonants too. */
  consonantal: boolean;
}

/** The name as tokens: transliterated, lower case, titles, connectors and company forms left out. */
export function normalizeName(name: string): NormalName {
  const consonantal = CONSONANTAL.test(name);
  // Chinese, Japanese, Burmese…: any-ascii capitalises each syllable; one token per run of script.
  const latin = UNSPACED.test(name)
    ? name.replace(/[^\s\p{P}]+/gu, (run) => (UNSPACED.test(run) ? ` ${anyAscii(run).toLowerCase()} ` : run))
    : name;
  const plain = anyAscii(latin)
    .toLowerCase()
    .replace(/['`\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  const all = plain ? plain.split(" ") : [];
  const tokens = all
    .filter((t) => !TITLES.has(t) && !CONNECTORS.has(t) && !COMPANY_FORMS.has(t))
    .map((t) => ABBREVIATIONS.get(t) ?? t);
  // A name that is nothing but such words ("General") keeps them: it is still what was written.
  return { tokens: tokens.length > 0 ? tokens : all, consonantal };
}

/**
 * A token's consonants, for names written without short vowels: "qahtani"
 * and "lqhtny" (القحطاني) both give "kdtn"-like keys. Letters that such
 * scripts write as vowels or that transliterations spell differently are
 * folded together.
 */
export function skeleton(token: string): string {
  return (
    token
      .replace(/^(al|el|l)(?=[a-z]{2})/, "")
      // Bengali জ is written J or Z (Ziaur); Arabic ذ dh or z.
      .replace(/dh|j/g, "z")
      .replace(/kh|x/g, "h")
      .replace(/gh|q|c/g, "k")
      .replace(/ph|f/g, "f")
      .replace(/[vw]/g, "w")
      .replace(/[aeiouyw]/g, "")
      .replace(/(.)\1+/g, "$1")
  );
}

/** Every order of a few name parts (a name of more parts keeps its own order only). */
export function orders(tokens: readonly string[]): string[][] {
  if (tokens.length <= 1 || tokens.length > 4) return [[...tokens]];
  return tokens.flatMap((t, i) => orders([...tokens.slice(0, i), ...tokens.slice(i + 1)]).map((o) => [t, ...o]));
}

/**
 * The queue's search words as an FTS5 query: every word must match, as
 * typed or transliterated (so "kadyrov" finds Кадыров and Кадыров finds
 * Kadyrov), at the start of a word (so "00042" finds REC-2026-00042).
 * Null when nothing searchable was typed.
 */
export function searchQuery(text: string): string | null {
  const words = text.normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = words.slice(0, 12).map((word) => {
    const spellings = new Set([word.toLowerCase(), ...normalizeName(word).tokens]);
    return `(${[...spellings].map((s) => `"${s.replace(/"/g, '""')}"*`).join(" OR ")})`;
  });
  return terms.length > 0 ? terms.join(" AND ") : null;
}

/** What the search index holds for a name: as written, and transliterated. */
export function searchableNames(names: readonly string[]): string {
  return names.map((name) => `${name} ${normalizeName(name).tokens.join(" ")}`).join("\n");
}
