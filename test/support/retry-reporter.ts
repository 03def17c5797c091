import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints, after the run, every test that needed a retry to pass (and how many), with the first
 * lines of what its failed attempts threw, so a flake that a retry hid is never silent and says
 * where it failed. Retries are configured for the e2e project only (vitest.config.ts).
 */
export default class RetryReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const { retryCount } = testCase.diagnostic() ?? { retryCount: 0 };
    if (retryCount === 0) return;
    const outcome = testCase.result().state === 'passed' ? 'passed after' : 'failed after';
    // A test that passed on a retry still reports the errors of the attempts before (vitest's TestResultPassed).
    const errors = (testCase.result().errors ?? []).map((error) => `      ${(error.message ?? String(error)).split('\n').slice(0, 6).join('\n      ')}`);
    this.retried.push(`  ${testCase.project.name} ${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} > ${testCase.fullName}: ${outcome} ${retryCount} retr${retryCount === 1 ? 'y' : 'ies'}${errors.length ? `\n${errors.join('\n')}` : ''}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.retried.length === 0) {
      console.log('\nRetries used: none');
      return;
    }
    console.log(`\nRetries used: ${this.retried.length} test(s)\n${this.retried.join('\n')}`);
  }
}
