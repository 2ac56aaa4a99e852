// The subcommands of `exchange-remoting`. Each lives in its own module; list it here once.
import type { Subcommand } from './types';
import { probeCommand } from './probeCommand';
import { traceCommand } from './traceCommand';
import { stepsCommand } from './stepsCommand';
import { scriptCommand } from './scriptCommand';
import { reportCommand } from './reportCommand';
import { checkCommand } from './checkCommand';

export const subcommands: readonly Subcommand[] = [
  checkCommand,
  probeCommand,
  traceCommand,
  stepsCommand,
  scriptCommand,
  reportCommand,
];
