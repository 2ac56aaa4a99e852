// The --ca files of `probe` and `check`, read the same way: PEM (bundles too) or one DER .cer each; a file that
// cannot be read or holds no certificate is a usage error naming it.
import { certificatesFromFile } from '../probe/certificate';
import type { CaFile } from '../probe/trust';
import { readBytesSync } from '../util/nodeFileAccess';
import { UsageError } from './types';

export const CA_OPTIONS_HELP = `  --ca <file>             also trust the certificates in this file (PEM or DER .cer; repeatable): the
                          self-signed listener certificate the sync servers imported, or your root CA
  --no-system-ca          trust only Node's bundled roots and --ca, not this machine's certificate store`;

export function readCaFiles(paths: readonly string[]): CaFile[] {
  return paths.map((path): CaFile => {
    let bytes: Uint8Array;
    try { bytes = readBytesSync(path); } catch (err) { throw new UsageError(`Cannot read --ca ${path}: ${(err as Error).message}`); }
    try { return { name: path, certificates: certificatesFromFile(bytes, path) }; } catch (err) { throw new UsageError(`--ca ${(err as Error).message}`); }
  });
}
