// Validators of the step inputs the catalog takes beyond a server entry (settings such as TrustedHosts, the Intune
// role names and event ids, a certificate thumbprint, firewall remote addresses). Pure: no vscode, no I/O.
// Each returns the normalised value or throws InputError with a message fit to show as is.
import { InputError, IPV4, printable, refuseControl, validateFqdn, validateNetbiosName } from '../servers/validation';

/**
 * A certificate thumbprint: 40 hex digits (SHA-1). Spaces, colons and the invisible marks that the
 * certificate dialog copies along (U+200E, U+200F, U+FEFF) are removed; the result is upper-case.
 */
export function validateThumbprint(raw: string, field = 'thumbprint'): string {
  const value = raw.replace(/[\s:\u200e\u200f\ufeff]/g, '');
  if (!value) throw new InputError(field, 'Enter the certificate thumbprint (40 hexadecimal digits).');
  if (!/^[0-9A-Fa-f]{40}$/.test(value)) {
    throw new InputError(field, `"${printable(raw.trim())}" is not a certificate thumbprint: expected 40 hexadecimal digits, got ${value.length} characters.`);
  }
  return value.toUpperCase();
}

const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}$/;

function isIpv4(value: string): boolean {
  return IPV4.test(value) && value.split('.').every((o) => Number(o) <= 255 && !/^0\d/.test(o));
}

/**
 * One TrustedHosts entry: an FQDN, a short host name, an IPv4/IPv6 address, or a `*.domain` wildcard.
 * A bare `*` is refused unless `allowAll` is set, because it turns the check off for every destination.
 */
export function validateTrustedHost(raw: string, field = 'trustedHosts', allowAll = false): string {
  const value = raw.trim();
  if (!value) throw new InputError(field, 'A trusted-host entry is empty.');
  refuseControl(value, field, 'trusted-host entry');
  if (value === '*') {
    if (allowAll) return '*';
    throw new InputError(field, '"*" would trust every destination for NTLM; list the Exchange servers\' names (or *.domain) instead.');
  }
  if (isIpv4(value)) return value;
  if (IPV4.test(value)) throw new InputError(field, `"${printable(value)}" is not a valid IPv4 address (each part 0–255).`);
  if (IPV6.test(value) && value.split(':').length <= 8) return value.toLowerCase();
  if (value.startsWith('*.')) return `*.${validateFqdn(value.slice(2), field)}`;
  if (value.includes('.')) return validateFqdn(value, field);
  return validateNetbiosName(value, field).toLowerCase();
}

/** A comma-separated (or array) trusted-host list; duplicates removed, order kept. */
export function validateTrustedHostList(raw: string | readonly string[], field = 'trustedHosts', allowAll = false): string[] {
  const items = (typeof raw === 'string' ? raw.split(',') : raw).map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new InputError(field, 'The trusted-host list is empty.');
  if (items.length > 100) throw new InputError(field, `The trusted-host list has ${items.length} entries; at most 100 are accepted.`);
  const out: string[] = [];
  for (const item of items) {
    const v = validateTrustedHost(item, field, allowAll);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * A firewall remote address: an IPv4/IPv6 address, a CIDR subnet (10.0.0.0/24), or one of the keywords
 * LocalSubnet and Any (case-insensitive, returned in canonical spelling).
 */
export function validateRemoteAddress(raw: string, field = 'remoteAddress'): string {
  const value = raw.trim();
  if (!value) throw new InputError(field, 'A remote address is empty.');
  refuseControl(value, field, 'remote address');
  const keyword = ['Any', 'LocalSubnet'].find((k) => k.toLowerCase() === value.toLowerCase());
  if (keyword) return keyword;
  const [addr = '', prefix, extra] = value.split('/');
  if (extra !== undefined) throw new InputError(field, `"${printable(value)}" is not an address or subnet.`);
  const v4 = isIpv4(addr);
  const v6 = !v4 && IPV6.test(addr) && addr.split(':').length <= 8;
  if (!v4 && !v6) throw new InputError(field, `"${printable(value)}" is not an IP address or subnet (for example 10.0.5.21 or 10.0.5.0/24).`);
  if (prefix !== undefined) {
    const max = v4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) throw new InputError(field, `"${printable(value)}" has an invalid prefix length (0–${max}).`);
    return `${v4 ? addr : addr.toLowerCase()}/${Number(prefix)}`;
  }
  return v4 ? addr : addr.toLowerCase();
}

/** An Exchange management role or role group name: letters, digits, spaces and - _ . ( ); at most `max` (64). */
export function validateRoleName(raw: string, field = 'roleName', max = 64): string {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (!value) throw new InputError(field, 'Enter a name for the management role.');
  if (value.length > max) throw new InputError(field, `The name has ${value.length} characters; at most ${max} are accepted.`);
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u.test(value)) {
    throw new InputError(field, `"${printable(value)}" may hold only letters, digits, spaces and . _ ( ) -.`);
  }
  return value;
}

/** A Windows event ID (0–65535). */
export function validateEventId(raw: string | number, field = 'eventIds'): number {
  const text = String(raw).trim();
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new InputError(field, `"${printable(text)}" is not an event ID (0–65535).`);
  return Number(text);
}
