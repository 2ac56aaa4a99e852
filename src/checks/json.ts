// Readers for the loosely typed JSON that check scripts print, tolerant of Windows PowerShell 5.1 shapes
// (enums as numbers, "/Date(ms)/" dates, single items instead of arrays, "True" strings). Pure.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { readonly [k: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** PowerShell 5.1 writes a one-item pipeline result as the item itself and an empty one as null. */
export function arr(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function strs(v: unknown): string[] {
  return arr(v).map(str).filter((s): s is string => s !== undefined);
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** true/false from a boolean, "True"/"true"/"False", 1/0. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return undefined;
}

/** ISO-8601, or the legacy "/Date(1700000000000)/" / "\/Date(…+0100)\/" of Windows PowerShell 5.1. */
export function date(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (isObject(v) && 'value' in v) return date(v.value); // 5.1 Get-Date output: { value: "/Date(…)/", DisplayHint, DateTime }
  if (typeof v !== 'string') return undefined;
  const legacy = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(v.trim());
  if (legacy) return new Date(Number(legacy[1]));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An enum that 5.1 writes as its number and 7 (or .ToString()) as its name. */
export function enumName(v: unknown, names: Readonly<Record<number, string>>): string | undefined {
  if (typeof v === 'number') return names[v] ?? String(v);
  if (typeof v === 'string') {
    const n = num(v);
    if (n !== undefined && names[n] !== undefined) return names[n];
    return v;
  }
  return undefined;
}

/** System.ServiceProcess.ServiceControllerStatus */
export const SERVICE_STATUS: Readonly<Record<number, string>> = { 1: 'Stopped', 2: 'StartPending', 3: 'StopPending', 4: 'Running', 5: 'ContinuePending', 6: 'PausePending', 7: 'Paused' };
/** System.ServiceProcess.ServiceStartMode (Get-Service StartType) */
export const SERVICE_START: Readonly<Record<number, string>> = { 0: 'Boot', 1: 'System', 2: 'Automatic', 3: 'Manual', 4: 'Disabled' };
/** Win32_Service.StartMode strings → the Get-Service names. */
export function normaliseStartMode(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.toLowerCase();
  if (t === 'auto' || t === 'automatic') return 'Automatic';
  if (t === 'manual') return 'Manual';
  if (t === 'disabled') return 'Disabled';
  return v;
}

/** NetSecurity enums as Windows PowerShell 5.1 serialises them. */
export const FW_ENABLED: Readonly<Record<number, string>> = { 1: 'True', 2: 'False' };
export const FW_DIRECTION: Readonly<Record<number, string>> = { 1: 'Inbound', 2: 'Outbound' };
export const FW_ACTION: Readonly<Record<number, string>> = { 0: 'NotConfigured', 2: 'Allow', 4: 'Block' };
/** NetSecurity PolicyStoreSourceType. */
export const FW_SOURCE: Readonly<Record<number, string>> = { 0: 'None', 1: 'Local', 2: 'GroupPolicy', 3: 'Dynamic', 4: 'Generated', 5: 'Hardcoded' };
/** Firewall profile flags: Any = 0, Domain = 1, Private = 2, Public = 4. */
export function firewallProfiles(v: unknown): string[] {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const n = Number(v);
    if (n === 0 || n === 0x7fffffff) return ['Any'];
    return [[1, 'Domain'], [2, 'Private'], [4, 'Public']].filter(([bit]) => (n & (bit as number)) !== 0).map(([, name]) => name as string);
  }
  return strs(v).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** NetConnectionProfile.NetworkCategory: Public = 0, Private = 1, DomainAuthenticated = 2. */
export const NETWORK_CATEGORY: Readonly<Record<number, string>> = { 0: 'Public', 1: 'Private', 2: 'DomainAuthenticated' };

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}
