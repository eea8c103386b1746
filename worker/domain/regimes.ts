import {
  type CATEGORIES,
  CORRUPTION_CATEGORIES,
  HUMAN_RIGHTS_CATEGORIES,
  type JURISDICTIONS,
  type TARGET_KINDS,
} from "./recommendation.ts";

/**
 * Which conduct and which targets each sanctions programme can reach, so a
 * recommendation that asks a government for something its law cannot do is
 * told so (it is still accepted: the coalition may know better, or reframe).
 *
 * Read from each regime's own text and the governments' notes for civil
 * society: the UK human-rights regime covers the right to life, torture and
 * cruel treatment, and slavery and forced labour only; the UK anti-corruption
 * regime covers bribery and misappropriation involving a foreign public
 * official (and dealing with the proceeds); the EU's global regime has no
 * corruption limb; the US 7031(c) visa ban reaches officials of foreign
 * governments and their immediate family, persons only; the corruption limbs
 * of Global Magnitsky, Canada's and Australia's laws need a public official
 * (or someone acting for or with one). `programIds` are OpenSanctions'
 * programme ids where it publishes one, for screening and FollowTheMoney.
 */

export type Category = (typeof CATEGORIES)[number];
export type Jurisdiction = (typeof JURISDICTIONS)[number];
export type TargetKind = (typeof TARGET_KINDS)[number];

export const HUMAN_RIGHTS: readonly Category[] = HUMAN_RIGHTS_CATEGORIES;
export const CORRUPTION: readonly Category[] = CORRUPTION_CATEGORIES;

export interface Programme {
  /** Whom a filing goes to. */
  authority: string;
  /** OpenSanctions' programme ids of the list it ends up on (empty where none is published). */
  programIds: readonly string[];
  /** The OpenSanctions dataset of that list. */
  dataset: string;
  humanRights: readonly Category[];
  corruption: readonly Category[];
  kinds: readonly TargetKind[];
  /** Corruption reaches only a public official, someone acting for one, or (7031(c)) their family; laundering aside. */
  corruptionNeedsOfficial: boolean;
  /** Everything it reaches needs a public official or their immediate family (7031(c)). */
  alwaysNeedsOfficial: boolean;
}

const UK_HUMAN_RIGHTS: readonly Category[] = ["extrajudicial_killing", "torture", "forced_labour", "trafficking"];

export const PROGRAMMES: Record<Jurisdiction, Programme> = {
  us_glomag: {
    authority: "US Department of the Treasury (OFAC) and Department of State",
    programIds: ["US-GLOMAG"],
    dataset: "us_ofac_sdn",
    humanRights: HUMAN_RIGHTS,
    corruption: CORRUPTION,
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: true,
    alwaysNeedsOfficial: false,
  },
  us_7031c: {
    authority: "US Department of State",
    programIds: [],
    dataset: "us_klepto_hr_visa",
    humanRights: [
      "extrajudicial_killing",
      "torture",
      "enforced_disappearance",
      "arbitrary_detention",
      "sexual_violence",
    ],
    corruption: ["bribery", "misappropriation", "expropriation", "procurement_corruption", "resource_corruption"],
    kinds: ["person"],
    corruptionNeedsOfficial: true,
    alwaysNeedsOfficial: true,
  },
  uk_global_human_rights: {
    authority: "UK Foreign, Commonwealth and Development Office",
    programIds: ["GB-HR"],
    dataset: "gb_fcdo_sanctions",
    humanRights: UK_HUMAN_RIGHTS,
    corruption: [],
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: false,
    alwaysNeedsOfficial: false,
  },
  uk_global_anti_corruption: {
    authority: "UK Foreign, Commonwealth and Development Office",
    programIds: ["GB-AC"],
    dataset: "gb_fcdo_sanctions",
    humanRights: [],
    corruption: ["bribery", "misappropriation", "laundering"],
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: true,
    alwaysNeedsOfficial: false,
  },
  eu_global_human_rights: {
    authority: "Council of the EU, on a proposal of a Member State or the High Representative",
    programIds: ["EU-HR"],
    dataset: "eu_fsf",
    humanRights: HUMAN_RIGHTS,
    corruption: [],
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: false,
    alwaysNeedsOfficial: false,
  },
  ca_magnitsky: {
    authority: "Global Affairs Canada",
    programIds: ["CA-JVCFOA"],
    dataset: "ca_dfatd_sema_sanctions",
    humanRights: HUMAN_RIGHTS,
    corruption: CORRUPTION,
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: true,
    alwaysNeedsOfficial: false,
  },
  au_magnitsky: {
    authority: "Australian Department of Foreign Affairs and Trade",
    programIds: ["AU-HUMAN"],
    dataset: "au_dfat_sanctions",
    humanRights: UK_HUMAN_RIGHTS,
    corruption: ["bribery", "misappropriation"],
    kinds: ["person", "entity"],
    corruptionNeedsOfficial: true,
    alwaysNeedsOfficial: false,
  },
};

/** What the regime check needs of a recommendation (version 2's targets, positions and relations). */
export interface RegimeCase {
  jurisdictions: readonly string[];
  categories: readonly Category[];
  targets: readonly { kind: TargetKind; positions?: readonly { public_official?: boolean }[] }[];
  /** A `family` relation makes a target someone's immediate family (7031(c)), even of someone not named as a target. */
  relations?: readonly { from: number; to: number | null; kind: string }[];
}

export type RegimeProblem = "category" | "kind" | "official";

/** The regime check's view of a recommendation (version 2). */
export function regimeCase(rec: {
  jurisdictions: readonly string[];
  conduct: { categories: readonly Category[] };
  targets: RegimeCase["targets"];
  relations: RegimeCase["relations"];
}): RegimeCase {
  return {
    jurisdictions: rec.jurisdictions,
    categories: rec.conduct.categories,
    targets: rec.targets,
    relations: rec.relations,
  };
}

/** A mismatch, for the person who asked: where, why, and which programme (catalogue key `regime.<problem>`). */
export interface RegimeWarning {
  path: string;
  code: "regime_mismatch";
  problem: RegimeProblem;
  programme: Jurisdiction;
}

function isOfficial(target: RegimeCase["targets"][number]): boolean {
  return (target.positions ?? []).some((p) => p.public_official === true);
}

/**
 * Each programme asked for that cannot reach the conduct (none of its
 * categories), a target (its kind), or anyone named (no public official,
 * where its limb needs one). "Other" conduct and "undecided" are not judged:
 * the coalition advises.
 */
export function regimeWarnings(rec: RegimeCase): RegimeWarning[] {
  const warnings: RegimeWarning[] = [];
  const judged = rec.categories.filter((c) => c !== "other");
  const officials = rec.targets.map(isOfficial);
  // Someone's family: 7031(c) reaches an official's immediate family, and the official may not be a target.
  const family = rec.targets.map((_, i) =>
    (rec.relations ?? []).some((r) => r.kind === "family" && (r.from === i || r.to === i)),
  );
  for (const [index, key] of rec.jurisdictions.entries()) {
    const programme = PROGRAMMES[key as Jurisdiction];
    if (!programme) continue;
    const warn = (path: string, problem: RegimeProblem) =>
      warnings.push({ path, code: "regime_mismatch", problem, programme: key as Jurisdiction });
    const humanRights = judged.filter((c) => programme.humanRights.includes(c));
    const corruption = judged.filter((c) => programme.corruption.includes(c));
    if (judged.length > 0 && humanRights.length + corruption.length === 0) {
      warn(`jurisdictions[${index}]`, "category");
      continue;
    }
    rec.targets.forEach((target, t) => {
      if (!programme.kinds.includes(target.kind)) warn(`targets[${t}].kind`, "kind");
    });
    const reachable = rec.targets.some(
      (target, t) =>
        programme.kinds.includes(target.kind) && (officials[t] || (programme.alwaysNeedsOfficial && family[t])),
    );
    const needsOfficial =
      programme.alwaysNeedsOfficial ||
      (programme.corruptionNeedsOfficial && humanRights.length === 0 && corruption.every((c) => c !== "laundering"));
    if (judged.length > 0 && needsOfficial && !reachable) warn(`jurisdictions[${index}]`, "official");
  }
  return warnings;
}
