// How a credential reaches PowerShell: through stdin, as DATA. Its own invocation (which holds no secret) reads the
// next stdin line with [Console]::In.ReadLine() and sets $global:ErsCredential, so the user name and password never
// become text PowerShell parses as code (history, Script Block Logging, transcripts), never argv, never the run script
// (which only names the variable, and removes it in `finally`). Pure.
import { EOL } from 'node:os';
import type { Credential } from './credentials';
import { oneLine, utf16Base64 } from './encodedScript';

/** The global variable the run script passes as -Credential. */
export const CREDENTIAL_VARIABLE = 'ErsCredential';

/**
 * The script of the credential invocation. It holds NO secret: it reads the next stdin line as data
 * (`<base64 user>:<base64 password>`, UTF-16LE like decodedString) and builds $global:ErsCredential from it, so the
 * user name and password never become text PowerShell parses as code (history, Script Block Logging, transcripts).
 */
export function credentialFeedScript(): string {
  return [
    '$ersLine = [Console]::In.ReadLine()',
    "if ($null -eq $ersLine -or $ersLine -notmatch '^[A-Za-z0-9+/=]*:[A-Za-z0-9+/=]*$') { throw 'The credential line was missing or malformed.' }",
    "$ersParts = $ersLine.Split(':')",
    '$ersUser = [System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String($ersParts[0]))',
    '$ersSecure = ConvertTo-SecureString -String ([System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String($ersParts[1]))) -AsPlainText -Force',
    `Set-Variable -Name ${CREDENTIAL_VARIABLE} -Scope Global -Value ([System.Management.Automation.PSCredential]::new($ersUser, $ersSecure))`,
    'Remove-Variable -Name ersLine, ersParts, ersUser, ersSecure -ErrorAction SilentlyContinue',
  ].join('\n');
}

/** The data line the credential invocation reads from stdin (never parsed as code): base64 user ":" base64 password. */
export function credentialDataLine(c: { readonly userName: string; readonly password: string }): string {
  return `${utf16Base64(c.userName)}:${utf16Base64(c.password)}`;
}

/**
 * The credential invocation as written to stdin: the command line (no secret in it) and, on the next line, the data
 * line it reads with [Console]::In.ReadLine() before PowerShell reads another command.
 */
export function credentialFeed(c: Credential): string {
  return `${oneLine(credentialFeedScript())}${EOL}${credentialDataLine(c)}`;
}
