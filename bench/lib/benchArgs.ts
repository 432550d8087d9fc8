import { parseArgs } from 'node:util';

/** A benchmark's command-line flags, read with their checks. */
export interface BenchArgs {
  /** `--<name> <n>` as a whole number, `fallback` when absent. */
  whole(name: string, fallback: number): number;
  /** `--<name> <value>` among `choices`, undefined when absent. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  /** The flag's text, undefined when absent. */
  text(name: string): string | undefined;
}

/**
 * Reads `--flag value` and `--flag=value` flags with Node's own parser, so
 * that an unknown or valueless flag stops the run before it starts rather
 * than measuring something nobody asked for; `script` names the file whose
 * header documents the flags.
 */
export function readBenchArgs(
  argv: string[],
  script: string,
  names: string[],
): BenchArgs {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(
        names.map(name => [name, { type: 'string' as const }]),
      ),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new Error(`${(error as Error).message}; see the header of ${script}`);
  }
  return {
    whole(name, fallback) {
      const value = values[name];
      if (value === undefined) {
        return fallback;
      }
      if (!/^\d+$/.test(value)) {
        throw new Error(`--${name} needs a whole number, got '${value}'`);
      }
      return Number(value);
    },
    choice(name, choices) {
      const value = values[name];
      if (value !== undefined && !choices.includes(value as never)) {
        throw new Error(
          `--${name} must be one of ${choices.join(', ')}, got '${value}'`,
        );
      }
      return value as (typeof choices)[number] | undefined;
    },
    text(name) {
      return values[name];
    },
  };
}
