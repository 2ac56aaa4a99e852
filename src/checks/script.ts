// Assembles complete scripts from a step's bodies: the input block (values only as single-quoted literals),
// the helpers, the result envelope between the markers, the remediation header. Pure.
import { markerLines } from '../pslang/resultMarkers';
import { bindVariables } from '../pslang/quote';
import { CHECK_SCHEMA, COMBINED_SCHEMA } from './envelope';
import { scriptVariables, type StepInputs } from './inputs';
import { helperText, type HelperName } from './psHelpers';
import type { StepDefinition } from './types';

/** Prefixes each line of a text with "# ", wrapping long lines; control characters never survive. */
export function comment(text: string, width = 110): string {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex
  for (const para of text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) { out.push(`# ${line}`); line = word; } else line = line ? `${line} ${word}` : word;
    }
    out.push(line ? `# ${line}` : '#');
  }
  return out.join('\n');
}

export function indent(text: string, by = '    '): string {
  return text.split('\n').map((l) => (l.trim() ? by + l : l)).join('\n');
}

function inputBlock(inputs: StepInputs): string {
  return ['# Inputs (validated; embedded as single-quoted literals only).', bindVariables(scriptVariables(inputs))].join('\n');
}

const PREFERENCES = ["$ErrorActionPreference = 'Stop'", "$ProgressPreference = 'SilentlyContinue'"].join('\n');

/** The lines that build one envelope for `step` into `$variable` and run the body inside try/catch. */
function envelopeLines(step: StepDefinition, inputs: StepInputs, variable: string): string {
  return [
    `$${variable} = [ordered]@{`,
    `    schema = '${CHECK_SCHEMA}'`,
    `    step = '${step.id}'`,
    '    ok = $true',
    '    psVersion = $PSVersionTable.PSVersion.ToString()',
    '    computer = [string]$env:COMPUTERNAME',
    '    elevated = (Test-ErsElevated)',
    "    generatedAt = (Get-Date).ToUniversalTime().ToString('o')",
    '    data = $null',
    '    error = $null',
    '}',
    'try {',
    `    $${variable}.data = & {`,
    indent(step.checkBody(inputs), '        '),
    '    }',
    '} catch {',
    `    $${variable}.ok = $false`,
    `    $${variable}.error = ConvertTo-ErsError -Record $_ -Source 'check'`,
    '}',
  ].join('\n');
}

/**
 * Prints the JSON between the markers. Non-ASCII characters are written as \uXXXX escapes so the document
 * survives any console code page (localized servers: "Domänen-Benutzer", "Accès refusé").
 */
function resultLines(token: string, expression: string, depth: number): string {
  const { begin, end } = markerLines(token);
  return [
    `$ersJson = ConvertTo-Json -InputObject ${expression} -Depth ${depth} -Compress`,
    "$ersJson = [regex]::Replace($ersJson, '[^\\u0000-\\u007F]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value })",
    `Write-Output '${begin}'`,
    'Write-Output $ersJson',
    `Write-Output '${end}'`,
  ].join('\n');
}

function stepHeader(step: StepDefinition, kind: 'check' | 'remediation'): string {
  const lines = [
    `Exchange Remoting Setup, ${kind} for step ${step.number} "${step.title.en}" (${step.id}).`,
    `Runs: ${step.whereDetail.en}. Needs elevation: ${step.needsElevation ? 'yes' : 'no'}.`,
  ];
  if (kind === 'check') lines.push('This script changes nothing. It prints one JSON document between the result markers.');
  return comment(lines.join('\n'));
}

export function remediationNotes(step: StepDefinition): string {
  const r = step.remediation;
  return comment([
    `What it changes: ${r.changes.en}`,
    `Restarts WinRM: ${r.restartsWinRM ? 'YES, open remote sessions (including Exchange remote PowerShell) will drop' : 'no'}.`,
    `Risk: ${r.risk}. ${r.riskNote.en}`,
    `Safer alternative: ${r.saferAlternative.en}`,
    `Documentation: ${step.docLink}`,
  ].join('\n'));
}

/** A complete check script for one step. */
export function checkScript(step: StepDefinition, inputs: StepInputs, token: string): string {
  return [
    stepHeader(step, 'check'),
    PREFERENCES,
    inputBlock(inputs),
    helperText(['elevated', ...step.checkHelpers]),
    envelopeLines(step, inputs, 'ersOut'),
    resultLines(token, '([pscustomobject]$ersOut)', 10),
    '',
  ].join('\n\n');
}

/** The script header that gives a saved .ps1 the -WhatIf and -Confirm switches. Must come first. */
const WHATIF_PARAM = '[CmdletBinding(SupportsShouldProcess = $true)]\nparam()';

const WHATIF_NOTE = comment('Preview without changing anything: save as a .ps1 file and run it with -WhatIf, or set $WhatIfPreference = $true before pasting it.');

/** A complete remediation script for one step. */
export function remediationScript(step: StepDefinition, inputs: StepInputs): string {
  return [
    WHATIF_PARAM,
    stepHeader(step, 'remediation'),
    remediationNotes(step),
    WHATIF_NOTE,
    PREFERENCES,
    inputBlock(inputs),
    helperText(['change', ...step.remediationHelpers]),
    `& {\n${indent(step.remediationBody(inputs))}\n}`,
    '',
  ].join('\n\n');
}

export const REMEDIATION_SCHEMA = 'ers.remediation/1';

/**
 * What the runner sends for a reviewed remediation: the script exactly as reviewed, then one line that prints the
 * success marker. The marker is reached only when the script ran to its end ($ErrorActionPreference = 'Stop' turns
 * every error into a stop), so a remediation that wrote output and then threw is never reported as done.
 */
export function confirmedRemediation(script: string, token: string): string {
  return [script, comment('Exchange Remoting Setup: the remediation reached its end.'), resultLines(token, `([pscustomobject]@{ schema = '${REMEDIATION_SCHEMA}'; done = $true })`, 2), ''].join('\n');
}

/** A check script for several steps that prints one combined JSON document ({ schema, results: [envelope…] }). */
export function combinedCheckScript(steps: readonly StepDefinition[], inputs: StepInputs, token: string, title: string): string {
  const helpers = new Set<HelperName>(['elevated']);
  for (const s of steps) for (const h of s.checkHelpers) helpers.add(h);
  return [
    comment(`${title}\nThis script changes nothing. It prints one JSON document with one result per step between the result markers.`),
    PREFERENCES,
    inputBlock(inputs),
    helperText(helpers),
    combinedCheckBlock(steps, inputs, token),
    '',
  ].join('\n\n');
}

/** `runbook`: add the runbook's outcome ($ersFailedStep, $ersFailMessage) to the combined document. */
export function combinedCheckBlock(steps: readonly StepDefinition[], inputs: StepInputs, token: string, runbook = false): string {
  const parts = ['$ersResults = New-Object System.Collections.Generic.List[object]'];
  for (const s of steps) {
    parts.push(comment(`Check: step ${s.number} "${s.title.en}" (${s.id})`));
    parts.push(envelopeLines(s, inputs, 'ersOne'));
    parts.push('$ersResults.Add([pscustomobject]$ersOne)');
  }
  const extra = runbook ? '; runbook = [pscustomobject]@{ failedStep = $ersFailedStep; message = $ersFailMessage }' : '';
  parts.push(resultLines(token, `([pscustomobject]@{ schema = '${COMBINED_SCHEMA}'; results = $ersResults.ToArray()${extra} })`, 12));
  return parts.join('\n');
}

export { WHATIF_PARAM, WHATIF_NOTE, PREFERENCES, inputBlock };
