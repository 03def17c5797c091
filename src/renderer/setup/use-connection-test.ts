import { useCallback, useState } from 'react';
import type { ErrorCode, FieldIssue } from '../../shared/errors';
import { asIpcError, unwrap } from '../ipc/client';

export type ConnectionTestResult =
  | { kind: 'idle' }
  | { kind: 'testing' }
  | { kind: 'ok'; ms: number }
  | { kind: 'failed'; code: ErrorCode; issues: FieldIssue[] };

/** `connection.test` with typed-in (unsaved) credentials: one cheap authenticated call. */
export function useConnectionTest() {
  const [result, setResult] = useState<ConnectionTestResult>({ kind: 'idle' });
  const test = useCallback(async (credentials: { accountSid: string; apiKeySid: string; apiSecret: string }) => {
    setResult({ kind: 'testing' });
    try {
      const answer = await unwrap(() =>
        window.onair.connection.test({
          mode: 'twilio',
          accountSid: credentials.accountSid.trim(),
          apiKeySid: credentials.apiKeySid.trim(),
          ...(credentials.apiSecret ? { apiSecret: credentials.apiSecret } : {}),
        }),
      );
      setResult({ kind: 'ok', ms: answer.ms });
    } catch (error) {
      const failure = asIpcError(error);
      setResult({ kind: 'failed', code: failure.code, issues: failure.details?.issues ?? [] });
    }
  }, []);
  const reset = useCallback(() => setResult({ kind: 'idle' }), []);
  return { result, test, reset };
}
