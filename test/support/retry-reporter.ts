import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints, after the run, every test that needed a retry to pass (and how many), so a flake that a
 * retry hid is never silent. Retries are configured for the e2e project only (vitest.config.ts).
 */
export default class RetryReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const { retryCount } = testCase.diagnostic() ?? { retryCount: 0 };
    if (retryCount === 0) return;
    const outcome = testCase.result().state === 'passed' ? 'passed after' : 'failed after';
    this.retried.push(`  ${testCase.project.name} ${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} > ${testCase.fullName}: ${outcome} ${retryCount} retr${retryCount === 1 ? 'y' : 'ies'}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.retried.length === 0) {
      console.log('\nRetries used: none');
      return;
    }
    console.log(`\nRetries used: ${this.retried.length} test(s)\n${this.retried.join('\n')}`);
  }
}
