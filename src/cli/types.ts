// The command line's contract: exit codes, I/O seam and the shape of a subcommand. Pure.

export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  internal: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a subcommand writes; tests capture it, main.ts binds it to process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Environment variables (for options that may come from the environment). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface Subcommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text shown by `exchange-remoting <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. Throw UsageError for bad arguments. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Bad arguments: printed with the subcommand's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
