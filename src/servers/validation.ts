// Validation of the values an administrator types about a server. Pure: no vscode, no I/O.
// Each validator returns the normalised value or throws InputError with a message fit to show as is.

export class InputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Four dotted numbers (not yet range-checked): what an IPv4 address looks like. */
export const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** A DNS fully qualified name such as exch01.contoso.com (trailing dot allowed and removed, lower-cased). */
export function validateFqdn(raw: string, field = 'server'): string {
  const value = raw.trim().replace(/\.$/, '');
  if (value.length === 0) throw new InputError(field, 'Enter the server\'s fully qualified DNS name, for example exch01.contoso.com.');
  if (IPV4.test(value) || /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/.test(value)) {
    throw new InputError(field, `"${printable(value)}" is an IP address. Use the server's DNS name (for example exch01.contoso.com): Kerberos tickets and the HTTPS certificate are issued to names, not addresses.`);
  }
  if (value.length > 253) throw new InputError(field, `The name is ${value.length} characters long; a DNS name has at most 253.`);
  const stray = /[^A-Za-z0-9.-]/.exec(value);
  if (stray) throw new InputError(field, `"${printable(value)}" is not a valid DNS name: it contains "${printable(stray[0])}"; only letters, digits, hyphens and dots are allowed.`);
  const labels = value.split('.');
  if (labels.length < 2) {
    throw new InputError(field, `"${printable(value)}" is a short name. Use the fully qualified name (for example ${printable(value)}.contoso.com) so that Kerberos and the certificate name match.`);
  }
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) {
    throw new InputError(field, `"${printable(value)}" is not a valid DNS name: each part may hold only letters, digits and inner hyphens (1–63 characters); "${printable(bad)}" does not.`);
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) throw new InputError(field, `"${printable(value)}" ends in a numeric label; that is not a DNS name.`);
  return value.toLowerCase();
}

/** A TCP port number. */
export function validatePort(raw: string | number, field = 'port'): number {
  const text = String(raw).trim();
  if (!/^\d{1,5}$/.test(text)) throw new InputError(field, `"${printable(text)}" is not a port number (1–65535).`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new InputError(field, `${n} is outside the port range 1–65535.`);
  return n;
}

/** Shows a value inside a message without control characters and without unbounded length. */
export function printable(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

// Characters Active Directory forbids in a sAMAccountName, plus controls.
// eslint-disable-next-line no-control-regex
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@\u0000-\u001f]/;
const NETBIOS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** A domain account as `DOMAIN\user` or `user@domain.tld`. */
export function validateAccount(raw: string, field = 'account'): string {
  const value = raw.trim();
  if (!value) throw new InputError(field, 'Enter the account as DOMAIN\\user or user@domain.com.');
  const slash = value.indexOf('\\');
  if (slash >= 0) {
    const domain = value.slice(0, slash);
    const user = value.slice(slash + 1);
    if (!NETBIOS.test(domain)) throw new InputError(field, `"${printable(domain)}" is not a NetBIOS domain name (1–15 letters, digits, '-', '_' or '.').`);
    if (!user || user.length > 20 || SAM_FORBIDDEN.test(user) || /\.$/.test(user)) {
      throw new InputError(field, `"${printable(user)}" is not a valid account name (at most 20 characters, none of " / \\ [ ] : ; | = , + * ? < > @).`);
    }
    return `${domain}\\${user}`;
  }
  const at = value.lastIndexOf('@');
  if (at > 0) {
    const user = value.slice(0, at);
    if (user.length > 64 || SAM_FORBIDDEN.test(user)) throw new InputError(field, `"${printable(user)}" is not a valid user principal name prefix.`);
    return `${user}@${validateFqdn(value.slice(at + 1), field)}`;
  }
  throw new InputError(field, `"${printable(value)}" has no domain: write DOMAIN\\${printable(value, 20)} or ${printable(value, 20)}@domain.com.`);
}

// ---------------------------------------------------------------------------------------------------------
// Validators for the values the step catalog embeds in scripts. Same rules: normalise or throw InputError.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function refuseControl(value: string, field: string, what: string): void {
  if (CONTROL.test(value)) throw new InputError(field, `The ${what} contains a line break or another control character; remove it.`);
}

/** A computer's NetBIOS name such as EXCH01 (1–15 letters, digits or inner hyphens; upper-cased). */
export function validateNetbiosName(raw: string, field = 'netbiosName'): string {
  const value = raw.trim().replace(/\$$/, '');
  if (!value) throw new InputError(field, 'Enter the computer\'s NetBIOS name, for example EXCH01.');
  refuseControl(value, field, 'computer name');
  if (value.length > 15) throw new InputError(field, `"${printable(value)}" has ${value.length} characters; a NetBIOS computer name has at most 15.`);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value) || /^\d+$/.test(value)) {
    throw new InputError(field, `"${printable(value)}" is not a NetBIOS computer name: use letters, digits and inner hyphens only, not digits alone.`);
  }
  return value.toUpperCase();
}

/** Derives the NetBIOS name from an FQDN's first label, when that label fits in 15 characters. */
export function netbiosFromFqdn(fqdn: string, field = 'netbiosName'): string {
  const first = validateFqdn(fqdn).split('.')[0] ?? '';
  if (first.length > 15) {
    throw new InputError(field, `The host name "${printable(first)}" is longer than 15 characters, so its NetBIOS name differs; enter the NetBIOS name explicitly.`);
  }
  return validateNetbiosName(first, field);
}

const DN_ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

/**
 * An LDAP distinguished name such as CN=EXCH01,OU=Servers,DC=contoso,DC=com (RFC 4514 escaping allowed:
 * `\,` `\+` `\"` `\\` `\<` `\>` `\;` `\=` `\#` and `\XX`). Must contain at least one DC= component.
 */
export function validateDistinguishedName(raw: string, field = 'distinguishedName'): string {
  const value = raw.trim();
  if (!value) throw new InputError(field, 'Enter the distinguished name, for example CN=EXCH01,OU=Servers,DC=contoso,DC=com.');
  refuseControl(value, field, 'distinguished name');
  if (value.length > 2048) throw new InputError(field, `The distinguished name is ${value.length} characters long; at most 2048 are accepted.`);
  const rdns: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const next = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(next)) { current += `\\${next}`; i += 2; continue; }
      const one = value[i + 1];
      if (one !== undefined && ',+"\\<>;=# '.includes(one)) { current += `\\${one}`; i += 1; continue; }
      throw new InputError(field, `"${printable(value)}" has a backslash that escapes nothing valid at position ${i + 1}.`);
    }
    if (c === ',') { rdns.push(current); current = ''; continue; }
    if ('"<>;'.includes(c)) throw new InputError(field, `"${printable(value)}" contains an unescaped ${c}; escape it with a backslash.`);
    current += c;
  }
  rdns.push(current);
  for (const rdn of rdns) {
    for (const part of rdn.split(/(?<!\\)\+/)) {
      const eq = part.indexOf('=');
      const attr = eq > 0 ? part.slice(0, eq).trim() : '';
      const val = eq > 0 ? part.slice(eq + 1).trim() : '';
      if (!DN_ATTRIBUTE.test(attr) || !val) {
        throw new InputError(field, `"${printable(value)}" is not a distinguished name: "${printable(part)}" should look like CN=name.`);
      }
    }
  }
  if (!rdns.some((r) => /^\s*DC\s*=/i.test(r))) {
    throw new InputError(field, `"${printable(value)}" has no DC= part; give the full distinguished name including the domain.`);
  }
  return rdns.map((r) => r.trim()).join(',');
}

/** A whole number within [min, max], e.g. a time window in minutes or a day threshold. */
export function validateInteger(raw: string | number, min: number, max: number, field: string, unit = ''): number {
  const text = String(raw).trim();
  if (!/^\d{1,9}$/.test(text)) throw new InputError(field, `"${printable(text)}" is not a whole number.`);
  const n = Number(text);
  if (n < min || n > max) throw new InputError(field, `${n}${unit ? ` ${unit}` : ''} is outside ${min}–${max}.`);
  return n;
}

/** One of a fixed set of words (case-insensitive); returns the canonical spelling. */
export function validateChoice<T extends string>(raw: string, choices: readonly T[], field: string): T {
  const value = raw.trim();
  const hit = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (hit === undefined) throw new InputError(field, `"${printable(value)}" is not one of: ${choices.join(', ')}.`);
  return hit;
}

// ssh connection fields (servers/server.ts, the runner, the CLI).
const SSH_USER = /^[A-Za-z0-9][A-Za-z0-9._@\\-]{0,103}$/;
const IPV4_OCTETS = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:]{2,39}$/;

/** An address to connect to: IPv4, IPv6 or a host name. */
export function validateConnectTo(value: string): string {
  const v = value.trim();
  if (IPV4_OCTETS.test(v) || (IPV6.test(v) && v.includes(':'))) return v;
  try {
    return validateFqdn(v, 'connectTo');
  } catch {
    if (/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(v)) return v.toLowerCase();
    throw new InputError('connectTo', `"${printable(v)}" is not an IP address or host name to connect to.`);
  }
}

export function validateSshUser(value: string): string {
  const v = value.trim();
  if (!SSH_USER.test(v)) throw new InputError('user', `"${printable(v)}" is not a user name for SSH (letters, digits, . _ @ \\ -).`);
  return v;
}

/** A file path handed to ssh (key file, known_hosts): no control characters, bounded. */
export function validateSshPath(value: string, field: string): string {
  const v = value.trim();
  // eslint-disable-next-line no-control-regex
  if (!v || v.length > 1024 || /[\u0000-\u001f\u007f]/.test(v)) throw new InputError(field, `The ${field} path is empty, too long or has control characters.`);
  return v;
}
