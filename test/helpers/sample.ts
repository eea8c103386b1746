import type { RecommendationV1 } from "../../worker/domain/recommendation.ts";

/** A complete, valid recommendation as a submitter would send it (version 1: one target). */
export function sampleRecommendation(overrides: { targetName?: string } = {}): RecommendationV1 {
  return {
    submitter: {
      organization: "Centre for Civil Liberties",
      country: "UA",
      contact_name: "Olena Kovalenko",
      contact_email: "olena@example.org",
      contact_phone: "+380 44 000 0000",
      may_be_named: false,
      partners: "Two partner groups in Kharkiv",
    },
    target: {
      kind: "person",
      name: overrides.targetName ?? "Иван Петрович Сидоров",
      name_latin: "Ivan Petrovich Sidorov",
      aliases: ["Vanya S."],
      birth_date: "1971-04",
      birth_place: "Rostov-on-Don",
      nationalities: ["RU"],
      identifiers: [{ type: "passport", number: "7500123456", country: "RU" }],
      positions: [{ title: "Commander", organization: "Unit 00000", country: "RU", from: "2021", to: "2023-06" }],
      assets: "Apartment in London held through a nominee company",
    },
    conduct: {
      categories: ["torture", "arbitrary_detention"],
      involvement: "ordered",
      country: "UA",
      period_start: "2022-03",
      period_end: "2022-09-30",
      summary: "Ordered the detention and torture of civilians at a filtration point over six months in 2022.",
      victims: "At least forty civilians",
    },
    jurisdictions: ["us_glomag", "uk_global_human_rights", "eu_global_human_rights"],
    evidence: {
      description: "Twelve witness statements and satellite imagery",
      links: ["https://example.org/report.pdf"],
      exculpatory: "He denies being present in the region.",
    },
    safety: {
      risk_level: "high",
      notes: "Witnesses must not be contacted directly",
      consent_to_share: true,
    },
    attachments: [],
  };
}
