/**
 * Where a test file's time goes (issue 15: the browser tests must stay cheap): with DUBAN_TEST_TIMINGS=1, the harness
 * writes one line per phase — the service started and migrated, the organisation seeded, Chromium launched — to stderr.
 * Without it, nothing is written. Durations are printed, never asserted.
 */
export function lap(what: string, since: number): void {
  if (!process.env.DUBAN_TEST_TIMINGS) return;
  process.stderr.write(`[timing] ${what}: ${Date.now() - since} ms\n`);
}
