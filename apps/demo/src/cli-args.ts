/** The demo CLIs' flags: `--smoke`, and numeric options such as `--rate 40`. */
export interface CliArgs {
  /** Whether `--name` was given. */
  has(name: string): boolean;
  /** The number after `--name`, or undefined if absent or not a finite number. */
  number(name: string): number | undefined;
}

export function cliArgs(argv: readonly string[] = process.argv.slice(2)): CliArgs {
  return {
    has: (name) => argv.includes(name),
    number(name) {
      const i = argv.indexOf(name);
      const v = i >= 0 ? Number(argv[i + 1]) : undefined;
      return v !== undefined && Number.isFinite(v) ? v : undefined;
    },
  };
}
