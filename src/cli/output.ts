import { StudioError } from '../shared/errors';
import en from '../shared/locales/en';

/** `validation.identity` → the English sentence for it. */
function explain(messageKey: string): string {
  const [group, name] = messageKey.split('.') as [string, string];
  return (en as unknown as Record<string, Record<string, string>>)[group]?.[name] ?? messageKey;
}

export type Printer = (result: { human: string; json: unknown }, json: boolean) => void;

export const printResult: Printer = (result, json) => {
  process.stdout.write(`${json ? JSON.stringify(result.json) : result.human}\n`);
};

/** Errors leave with the studio's code and message, on stderr, and a non-zero exit code. */
export function reportError(error: unknown, json: boolean): number {
  const failure = error instanceof StudioError ? error.toIpc() : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  const issues = ('details' in failure && failure.details?.issues) || [];
  const lines = [`onair: ${failure.code}: ${failure.message}`, ...issues.map((issue) => `  ${issue.path}: ${explain(issue.messageKey)}`)];
  process.stderr.write(json ? `${JSON.stringify({ error: failure })}\n` : `${lines.join('\n')}\n`);
  return 1;
}
