import { sampleRecommendation } from "../test/helpers/sample.ts";

/**
 * Intake bodies as a coalition sends them: every target named differently
 * (in Cyrillic, with a Latin spelling), a few names recurring as they do
 * when two organisations recommend the same person. One name (or one alias)
 * sent a thousand times would screen each submission against a hundred
 * identical candidates, which no real intake does.
 */
const GIVEN = [
  ["Иван", "Ivan"],
  ["Олег", "Oleg"],
  ["Сергей", "Sergei"],
  ["Дмитрий", "Dmitrii"],
  ["Алексей", "Aleksei"],
  ["Николай", "Nikolai"],
  ["Павел", "Pavel"],
  ["Виктор", "Viktor"],
  ["Юрий", "Iurii"],
  ["Андрей", "Andrei"],
  ["Михаил", "Mikhail"],
  ["Григорий", "Grigorii"],
  ["Роман", "Roman"],
  ["Тимур", "Timur"],
  ["Фёдор", "Fedor"],
  ["Ольга", "Olga"],
  ["Наталья", "Natalia"],
  ["Елена", "Elena"],
  ["Ирина", "Irina"],
  ["Марина", "Marina"],
  ["Светлана", "Svetlana"],
  ["Татьяна", "Tatiana"],
  ["Людмила", "Liudmila"],
] as const;

const FAMILY = [
  "Сидоров",
  "Кузнецов",
  "Попов",
  "Васильев",
  "Соколов",
  "Михайлов",
  "Новиков",
  "Фёдоров",
  "Морозов",
  "Волков",
  "Алексеев",
  "Лебедев",
  "Семёнов",
  "Егоров",
  "Павлов",
  "Козлов",
  "Степанов",
  "Николаев",
  "Орлов",
  "Андреев",
  "Макаров",
  "Никитин",
  "Захаров",
  "Зайцев",
  "Соловьёв",
  "Борисов",
  "Яковлев",
  "Григорьев",
  "Романов",
  "Воробьёв",
  "Сергеев",
  "Кузьмин",
  "Фролов",
  "Александров",
  "Дмитриев",
  "Королёв",
  "Гусев",
  "Киселёв",
  "Ильин",
  "Максимов",
  "Поляков",
  "Сорокин",
  "Виноградов",
  "Ковалёв",
  "Белов",
  "Медведев",
  "Антонов",
];

const LATIN: Record<string, string> = Object.fromEntries(
  [..."абвгдеёжзийклмнопрстуфхцчшщъыьэюя"].map((c, i) => [
    c,
    [
      "a",
      "b",
      "v",
      "g",
      "d",
      "e",
      "e",
      "zh",
      "z",
      "i",
      "i",
      "k",
      "l",
      "m",
      "n",
      "o",
      "p",
      "r",
      "s",
      "t",
      "u",
      "f",
      "kh",
      "ts",
      "ch",
      "sh",
      "shch",
      "",
      "y",
      "",
      "e",
      "iu",
      "ia",
    ][i] ?? "",
  ]),
);

function latin(cyrillic: string): string {
  const plain = [...cyrillic.toLowerCase()].map((c) => LATIN[c] ?? c).join("");
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** The i-th body: a different target for each of 1,081 requests, then the same ones again. */
export function intakeBody(i: number): string {
  const [given, givenLatin] = GIVEN[i % GIVEN.length] ?? GIVEN[0];
  const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length] ?? "Сидоров";
  // Feminine family names for the women among the given names (the last eight).
  const feminine = i % GIVEN.length >= 15 ? "а" : "";
  const sample = sampleRecommendation({ targetName: `${given} ${family}${feminine}` });
  sample.target.name_latin = `${givenLatin} ${latin(family)}${feminine ? "a" : ""}`;
  // The sample's one alias, passport and birth date would make every target look alike: each has its own.
  sample.target.aliases = i % 5 === 0 ? [`${givenLatin.charAt(0)}. ${latin(family)}`] : [];
  sample.target.birth_date = `${1950 + (i % 40)}-${String(1 + (i % 12)).padStart(2, "0")}`;
  sample.target.identifiers = [{ type: "passport", number: String(7_500_000_000 + i * 7919), country: "RU" }];
  return JSON.stringify(sample);
}
