// Peak resident memory of THIS process, in MiB. Linux keeps getrusage's ru_maxrss across fork and exec, so a child
// started by a 400 MB parent reports at least 400 MB there whatever it does itself (measured: a 40 MB child of a
// 500 MB parent reported 516 MB). VmHWM in /proc/self/status belongs to the process's own address space, which exec
// replaces, so it is the child's own peak. Falls back to maxRSS where /proc is missing.
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch { /* not Linux: fall through */ }
  return process.resourceUsage().maxRSS / 1024;
}
