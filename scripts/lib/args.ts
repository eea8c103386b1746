import { parseArgs } from "node:util";

/** `command --flag value …` → the subcommand and its flags (node:util parseArgs). */
export function commandLine<const O extends Record<string, { type: "string" | "boolean" }>>(options: O) {
  const { values, positionals } = parseArgs({ options, allowPositionals: true, strict: true });
  return { command: positionals[0], args: positionals.slice(1), values };
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
