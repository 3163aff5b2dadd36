/**
 * Prints the plain closing line "N passed, N failed[, N skipped]" after jest's own summary, so that any CI
 * that reads closing lines counts the tests.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}`;
    // At exit, on stderr like jest's own summary: so that it is the very last line of a combined log.
    process.once("exit", () => process.stderr.write(`\n${line}\n`));
  }
}

module.exports = SummaryReporter;
