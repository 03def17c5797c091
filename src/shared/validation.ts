import type { z } from 'zod';
import type { FieldIssue } from './errors';

/** One issue per field and message, in the order zod found them. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '(payload)';
    const messageKey = issue.message.startsWith('validation.') ? issue.message : 'validation.generic';
    if (seen.has(`${path}\n${messageKey}`)) continue;
    seen.add(`${path}\n${messageKey}`);
    issues.push({ path, messageKey });
  }
  return issues;
}
