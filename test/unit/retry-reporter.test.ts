import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestCase } from 'vitest/node';
import RetryReporter from '../support/retry-reporter';

/** The parts of a vitest TestCase the reporter reads. */
function testCase(name: string, retryCount: number, state: 'passed' | 'failed', messages: string[]): TestCase {
  return {
    fullName: name,
    project: { name: 'e2e' },
    module: { moduleId: `${process.cwd()}/test/e2e/x.test.ts` },
    diagnostic: () => ({ retryCount }),
    result: () => ({ state, errors: messages.map((message) => ({ message })) }),
  } as unknown as TestCase;
}

afterEach(() => vi.restoreAllMocks());

describe('the retry summary', () => {
  it('names each retried test with what its failed attempts threw (first lines), and says none when none was', () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const reporter = new RetryReporter();
    reporter.onTestCaseResult(testCase('plays', 0, 'passed', []));
    reporter.onTestCaseResult(testCase('streams', 1, 'passed', ['expected 0.91 to be greater than 0.95\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7']));
    reporter.onTestRunEnd([]);
    expect(printed).toEqual([
      '\nRetries used: 1 test(s)\n  e2e test/e2e/x.test.ts > streams: passed after 1 retry\n      expected 0.91 to be greater than 0.95\n      line 2\n      line 3\n      line 4\n      line 5\n      line 6',
    ]);
    const quiet = new RetryReporter();
    quiet.onTestRunEnd([]);
    expect(printed.at(-1)).toBe('\nRetries used: none');
  });
});
