// Validation of the values an administrator types about a server. Pure: no vscode, no I/O.
// Each validator returns the normalised value or throws InputError with a message fit to show as is.

export class InputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** A DNS fully qualified name such as exch01.contoso.com (trailing dot allowed and removed, lower-cased). */
export function validateFqdn(raw: string, field = 'server'): string {
  const value = raw.trim().replace(/\.$/, '');
  if (value.length === 0) throw new InputError(field, 'Enter the server\'s fully qualified DNS name, for example exch01.contoso.com.');
  if (IPV4.test(value) || /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/.test(value)) {
    throw new InputError(field, `"${printable(value)}" is an IP address. Use the server's DNS name (for example exch01.contoso.com): Kerberos tickets and the HTTPS certificate are issued to names, not addresses.`);
  }
  if (value.length > 253) throw new InputError(field, `The name is ${value.length} characters long; a DNS name has at most 253.`);
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
