/**
 * Prints the plain closing line "N passed, N failed[, N skipped]" after jest's own summary, so that any CI
 * that reads closing lines counts the tests.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    // A file that fails to load, or a failing hook, fails the run without failing a test: count it too.
    // (`results.success` is not final yet when reporters run, so the counts decide.)
    const failed = Math.max(results.numFailedTests + results.numRuntimeErrorTestSuites, results.numFailedTestSuites);
    const line = `${results.numPassedTests} passed, ${failed} failed${tail}`;
    // At exit, on stderr like jest's own summary: so that it is the very last line of a combined log.
    process.once("exit", () => process.stderr.write(`\n${line}\n`));
  }
}

module.exports = SummaryReporter;
