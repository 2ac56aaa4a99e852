// `npm run bench`: runs every benchmark in turn and prints numbers (no assertions).
// Others: append one line per benchmark below (import it and await it in main).
import { benchRunner } from './runner';

async function main(): Promise<void> {
  await benchRunner();
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
