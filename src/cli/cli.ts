// The command-line front: parses the first word, dispatches, maps failures to exit codes. Pure apart from the io seam.
import { ExitCode, UsageError, type CliIo, type Subcommand } from './types';
import { InputError } from '../servers/validation';

export const PROGRAM = 'exchange-remoting';

export function mainHelp(commands: readonly Subcommand[], version: string): string {
  const width = Math.max(8, ...commands.map((c) => c.name.length));
  const list = commands.length
    ? commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')
    : '  (none yet)';
  return [
    `${PROGRAM} ${version}: prepare Exchange servers for PowerShell remoting and read E2ETraceEvent traces.`,
    '',
    `Usage: ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} <command> --help`,
    '',
    'Commands:',
    list,
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    'Exit codes: 0 ok, 1 findings (a check failed or a trace is damaged), 2 usage error, 3 internal error.',
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Subcommand[], version: string): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const cmd = topic ? commands.find((c) => c.name === topic) : undefined;
    if (topic && !cmd) return usageFailure(io, `Unknown command "${topic}".`, mainHelp(commands, version));
    io.out(cmd ? withNewline(cmd.usage) : mainHelp(commands, version));
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '-v' || first === '--version') {
    io.out(`${version}\n`);
    return ExitCode.ok;
  }
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) return usageFailure(io, `Unknown command "${first}".`, mainHelp(commands, version));
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(withNewline(cmd.usage));
    return ExitCode.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || isParseArgsError(err)) {
      return usageFailure(io, (err as Error).message, cmd.usage);
    }
    io.err(`${PROGRAM} ${cmd.name}: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return ExitCode.internal;
  }
}

function usageFailure(io: CliIo, message: string, usage: string): number {
  io.err(`${PROGRAM}: ${message}\n\n${withNewline(usage)}`);
  return ExitCode.usage;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
