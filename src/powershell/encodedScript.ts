// A script as PowerShell receives it over `-Command -`: ONE line (a multi-line statement over stdin can hang pwsh)
// that carries the script as a base64 payload (UTF-16LE, the encoding [Text.Encoding]::Unicode and -EncodedCommand
// use), decoded into a script block and invoked in a child scope. Pure.

/** Base64 of UTF-16LE, the encoding [Text.Encoding]::Unicode and -EncodedCommand use. */
export function utf16Base64(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** PowerShell expression that yields `text` decoded from an embedded base64 payload. */
export function decodedString(text: string): string {
  return `[System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String('${utf16Base64(text)}'))`;
}

/**
 * Any script as ONE line for `-Command -` (a multi-line statement over stdin can hang pwsh): the script travels as
 * a base64 payload that is decoded into a script block and invoked in a child scope.
 */
export function oneLine(script: string): string {
  return `& ([scriptblock]::Create(${decodedString(script)}))`;
}

/** Reads the script back out of a line made by oneLine (for tests and the test double). */
export function decodeOneLine(line: string): string | undefined {
  const m = /^& \(\[scriptblock\]::Create\(\[System\.Text\.Encoding\]::Unicode\.GetString\(\[System\.Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\)\)$/.exec(line.trim());
  return m ? Buffer.from(m[1] ?? '', 'base64').toString('utf16le') : undefined;
}
