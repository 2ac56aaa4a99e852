// The real pwsh 7.6.9 for tests: the one on PATH (scripts/test.sh puts the built one there), else the one
// scripts/ensure-tools.sh built into the tools folder. Tests that need it FAIL when it is missing; they never skip.
import { existsSync } from 'node:fs';
import { findExecutable } from '../../src/powershell/nodePowerShellRunner';
import { pwshPath } from './tools';

export function realPwsh(): string {
  const found = process.env.ERS_REAL_PWSH ?? findExecutable('pwsh') ?? (existsSync(pwshPath) ? pwshPath : undefined);
  if (!found) throw new Error(`The real pwsh is missing (not on PATH, not at ${pwshPath}). Run scripts/ensure-tools.sh (scripts/test.sh does).`);
  return found;
}
