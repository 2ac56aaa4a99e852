// Mocha's spec reporter, plus one JSON line of totals appended to $ERS_TEST_COUNTS so the test command can
// print one "N passed, N failed" line over all tiers (unit, extension host, UI).
import { appendFileSync } from 'node:fs';
import Mocha from 'mocha';

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.ERS_TEST_COUNTS;
      const stats = runner.stats;
      if (!file || !stats) return;
      appendFileSync(file, `${JSON.stringify({ tier: process.env.ERS_TEST_TIER ?? 'unknown', passes: stats.passes, failures: stats.failures, pending: stats.pending })}\n`);
    });
  }
}

module.exports = CountingReporter;
