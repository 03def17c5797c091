import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliLedgerStore } from '../../../src/cli/cli-ledger-store';
import { tempFolders } from './support/onair-process';

const temp = tempFolders();
afterAll(() => temp.removeAll());

const ACCOUNT_A = `AC${'a'.repeat(32)}`;
const ACCOUNT_B = `AC${'b'.repeat(32)}`;

describe('cliLedgerStore', () => {
  it('keeps its file in ONAIR_DATA_DIR and replaces it whole on every write (a reader never sees half a file)', () => {
    const dataDir = temp.make('onair-cli-store-');
    const store = cliLedgerStore(ACCOUNT_A, { ONAIR_DATA_DIR: dataDir });
    store.set('broadcast.createdResources', [{ kind: 'PlayerStreamer', sid: 'VJ1' }]);
    const file = join(dataDir, 'cli-ledger.json');
    const before = statSync(file).ino;
    store.set('broadcast.createdResources', [{ kind: 'PlayerStreamer', sid: 'VJ2' }]);
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dataDir)).toEqual(['cli-ledger.json']);
    expect(cliLedgerStore(ACCOUNT_A, { ONAIR_DATA_DIR: dataDir }).get('broadcast.createdResources')).toEqual([{ kind: 'PlayerStreamer', sid: 'VJ2' }]);
  });

  it('keeps one ledger per account, so a stop on one account never forgets what another one runs', () => {
    const dataDir = temp.make('onair-cli-store-');
    const a = cliLedgerStore(ACCOUNT_A, { ONAIR_DATA_DIR: dataDir });
    const b = cliLedgerStore(ACCOUNT_B, { ONAIR_DATA_DIR: dataDir });
    a.set('broadcast.createdResources', [{ kind: 'MediaProcessor', sid: 'ZX1' }]);
    expect(b.get('broadcast.createdResources')).toBeUndefined();
    b.set('broadcast.createdResources', []);
    b.delete('broadcast.createdResources');
    expect(a.get('broadcast.createdResources')).toEqual([{ kind: 'MediaProcessor', sid: 'ZX1' }]);
    expect(JSON.parse(readFileSync(join(dataDir, 'cli-ledger.json'), 'utf8'))).toEqual({
      [ACCOUNT_A]: { 'broadcast.createdResources': [{ kind: 'MediaProcessor', sid: 'ZX1' }] },
    });
  });
});
