// The subcommands of `exchange-remoting`. Each lives in its own module; list it here once.
import type { Subcommand } from './types';

export const subcommands: readonly Subcommand[] = [
];
