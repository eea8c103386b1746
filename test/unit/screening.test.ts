import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeName, skeleton } from "../../worker/domain/names.ts";
import { closeness, compare, jaroWinkler, nameSimilarity } from "../../worker/domain/screening.ts";

const score = (a: string, b: string) => compare({ names: [a] }, { names: [b] }).score;

/** Names as people write them: letters of several scripts, spaces, a few marks. */
const nameChars = fc.constantFrom(
  ..."abcdeklmnorstuyzÄéçАБКРамзнстСаудالقحطانيعسابوصلواتیবেনজীরআহমদ陈全国朱海仑 -.'".split(""),
);
const anyName = fc.array(nameChars, { minLength: 1, maxLength: 24 }).map((chars) => chars.join(""));

describe("names as matching sees them", () => {
  it("transliterates any script, drops case, diacritics, punctuation, titles, connectors and company forms", () => {
    expect(normalizeName("Col. Рамзан Ахматович КАДЫРОВ").tokens).toEqual(["ramzan", "akhmatovich", "kadyrov"]);
    expect(normalizeName("Gülnara Kärimova").tokens).toEqual(["gulnara", "karimova"]);
    expect(normalizeName("Mohammed bin Salman Al-Saud").tokens).toEqual(["mohammed", "salman", "saud"]);
    expect(normalizeName("Al-Nour Trading Co., LLC").tokens).toEqual(["nour", "trading"]);
    expect(normalizeName("陈全国")).toEqual({ tokens: ["chenquanguo"], consonantal: false });
    expect(normalizeName("سعود القحطاني").consonantal).toBe(true);
    // A name that is only a title keeps it.
    expect(normalizeName("General").tokens).toEqual(["general"]);
  });

  it("folds a name without short vowels to its consonants, as its Latin spelling", () => {
    expect(skeleton("qahtani")).toBe(skeleton("lqhtny"));
    expect(skeleton("abolghassem")).toBe(skeleton("bwlqsm"));
  });

  it("normalises idempotently: a normalised name normalises to itself (property)", () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const once = normalizeName(name).tokens;
        expect(normalizeName(once.join(" ")).tokens).toEqual(once);
      }),
    );
  });
});

describe("comparing two parties", () => {
  it("is symmetric for any two names, aliases, birth dates and nationalities (property)", () => {
    const party = fc.record({
      names: fc.array(anyName, { minLength: 1, maxLength: 3 }),
      birth_date: fc.option(fc.constantFrom("1976", "1976-10", "1976-10-05", "1955-11"), { nil: undefined }),
      nationalities: fc.array(fc.constantFrom("RU", "CN", "SA", "BD"), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(party, party, (a, b) => {
        expect(compare(a, b).score).toBe(compare(b, a).score);
      }),
    );
  });

  it("scores a party the same, with the same reasons, when it also carries a name that compares alike (property)", () => {
    // The same name in capitals, or with other spaces and marks around its words.
    const alike = (name: string) => [name.toUpperCase(), `  ${name.split(" ").join(" - ")}.`];
    fc.assert(
      fc.property(
        fc.array(anyName, { minLength: 1, maxLength: 3 }),
        fc.array(anyName, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat(1),
        (a, b, which, how) => {
          const twin = alike(a[which % a.length] as string)[how] as string;
          const plain = compare({ names: a }, { names: b });
          // After the name it repeats, the twin may score as high but is never the pair the reasons name.
          expect(compare({ names: [...a, twin] }, { names: b })).toEqual(plain);
          expect(compare({ names: b }, { names: [...a, twin] })).toEqual(compare({ names: b }, { names: a }));
        },
      ),
    );
  });

  it("does not care about the order of name parts (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("ramzan", "kadyrov", "chen", "quanguo", "saud", "ahmed"), {
          minLength: 2,
          maxLength: 4,
        }),
        (parts) => {
          expect(score(parts.join(" "), [...parts].reverse().join(" "))).toBe(1);
        },
      ),
    );
  });

  it("stays between 0 and 1, and a name matches itself fully (property)", () => {
    fc.assert(
      fc.property(anyName, anyName, (a, b) => {
        const s = score(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        if (normalizeName(a).tokens.length > 0) expect(score(a, a)).toBe(1);
      }),
    );
  });

  it("finds the same person across scripts and spellings", () => {
    for (const [a, b] of [
      ["陈全国", "Chen Quanguo"],
      ["陈全国", "Quanguo Chen"],
      ["Gulnara Karimova", "Гульнара Каримова"],
      ["Alexander Bastrykin", "Александр Бастрыкин"],
      ["سعود القحطاني", "Saud al-Qahtani"],
      ["أحمد عسيري", "Ahmed al-Asiri"],
      ["ابوالقاسم صلواتی", "Abolghassem Salavati"],
      ["বেনজীর আহমেদ", "Benazir Ahmed"],
      ["Mohammed bin Salman", "Muhammad ibn Salman"],
      ["Рамзан Ахматович Кадыров", "Ramzan Kadyrov"],
      // Acronyms, short forms, the Arabic article before a short name, a name without its patronymic.
      ["IRGC", "Islamic Revolutionary Guard Corps"],
      ["Md. Jahangir Alam", "Mohammad Jahangir Alam"],
      ["حافظ الأسد", "Hafez al-Assad"],
      ["Alexander Vasilyevich Bortnikov", "Alexander Bortnikov"],
      // Bengali and Khmer spell few vowels the way Latin spellings do; Bengali জ is often written Z;
      // "Hun" comes out of Khmer as "hon", which is not the title Hon.
      ["জিয়াউর রহমান", "Ziaur Rahman"],
      ["ហ៊ុន សែន", "Hun Sen"],
      ["سید علی خامنه‌ای", "Ali Khamenei"],
    ]) {
      expect(score(a as string, b as string), `${a} ~ ${b}`).toBeGreaterThanOrEqual(0.8);
    }
  });

  it("keeps different people apart even when they share a name part", () => {
    for (const [a, b] of [
      ["Ramzan Kadyrov", "Ramzan Khasanov"],
      ["Chen Quanguo", "Chen Mingguo"],
      ["Wang Junzheng", "Wang Mingshan"],
      ["Alexander Bortnikov", "Александр Бастрыкин"],
      ["John Smith", "Jane Smith"],
    ]) {
      expect(score(a as string, b as string), `${a} ~ ${b}`).toBeLessThan(0.8);
    }
  });

  it("counts every alias on both sides, and says why", () => {
    const listed = {
      names: ["Ramzan Akhmatovich Kadyrov", "Рамзан Кадыров"],
      birth_date: "1976-10-05",
      nationalities: ["RU"],
    };
    const target = { kind: "person" as const, names: ["Кадыров Рамзан"], birth_date: "1976", nationalities: ["ru"] };
    const match = compare(target, listed);
    expect(match.score).toBe(1);
    expect(match.reasons).toEqual([
      "names 100% alike: Кадыров Рамзан ~ Рамзан Кадыров",
      "same birth date 1976-10-05",
      "same nationality RU",
    ]);
  });

  it("takes the same name born another year for another person", () => {
    const one = { names: ["Artem Kuznetsov"], birth_date: "1970-03-02" };
    expect(compare(one, { names: ["Artem Kuznetsov"], birth_date: "1985" }).score).toBeLessThan(0.8);
  });

  it("lowers the score for another birth year, nationality or kind, and raises it for a shared document", () => {
    const base = { names: ["Zhu Hailun"] };
    const plain = compare(base, { names: ["Zhu Hailun"] }).score;
    expect(
      compare({ ...base, birth_date: "1958" }, { names: ["Zhu Hailun"], birth_date: "1970-01" }).score,
    ).toBeLessThan(plain);
    expect(
      compare({ ...base, nationalities: ["CN"] }, { names: ["Zhu Hailun"], nationalities: ["TW"] }).score,
    ).toBeLessThan(plain);
    expect(compare({ ...base, kind: "person" }, { names: ["Zhu Hailun"], kind: "entity" }).score).toBeLessThan(plain);
    const near = compare(
      { names: ["Ivan Petrov"], identifiers: [{ number: "AB 123456" }] },
      { names: ["Ivan Petrenko"], identifiers: [{ type: "passport", number: "ab123456" }] },
    );
    expect(near.score).toBeGreaterThanOrEqual(0.95);
    expect(near.reasons).toContain("same document number ab123456");
  });

  it("computes Jaro-Winkler as published (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84)", () => {
    expect(jaroWinkler("martha", "marhta")).toBeCloseTo(0.961, 3);
    expect(jaroWinkler("dwayne", "duane")).toBeCloseTo(0.84, 2);
    expect(jaroWinkler("", "a")).toBe(0);
    expect(nameSimilarity(normalizeName(""), normalizeName("a"))).toBe(0);
  });

  it("gives what the textbook Jaro-Winkler gives, and the same closeness however often a pair is asked (property)", () => {
    // The definition written plainly, to hold the tuned one (reused buffers, a cache) to it.
    const textbook = (a: string, b: string): number => {
      if (a === b) return 1;
      if (!a || !b) return 0;
      const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
      const aHit = a.split("").map(() => false);
      const bHit = b.split("").map(() => false);
      let m = 0;
      for (let i = 0; i < a.length; i++) {
        for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
          if (bHit[j] || a[i] !== b[j]) continue;
          aHit[i] = bHit[j] = true;
          m++;
          break;
        }
      }
      if (m === 0) return 0;
      const aOrder = [...a].filter((_, i) => aHit[i]);
      const bOrder = [...b].filter((_, i) => bHit[i]);
      const t = aOrder.filter((c, i) => c !== bOrder[i]).length / 2;
      const jaro = (m / a.length + m / b.length + (m - t) / m) / 3;
      let prefix = 0;
      while (prefix < 4 && prefix < Math.min(a.length, b.length) && a[prefix] === b[prefix]) prefix++;
      return jaro + prefix * 0.1 * (1 - jaro);
    };
    const word = fc.string({ unit: fc.constantFrom(..."abcdeilmnorstuvy"), maxLength: 90 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(jaroWinkler(a, b)).toBeCloseTo(textbook(a, b), 12);
        const first = closeness(a, b);
        expect(first).toBeCloseTo(Math.max(0, 1 - (1 - textbook(a, b)) * 2.5), 12);
        expect(closeness(a, b)).toBe(first);
      }),
      { numRuns: 2000 },
    );
  });
});
