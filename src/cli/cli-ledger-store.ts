import Conf from 'conf';
import type { KeyValueStore } from '../main/core/settings/ports';

type Scopes = Record<string, Record<string, unknown>>;

/**
 * Where the CLI keeps the broadcast's resource ledger between runs, so that a
 * `broadcast stop` in a new process ends what an earlier `start` created even when
 * `streaming_info` is gone: `cli-ledger.json` in `ONAIR_DATA_DIR`, or in the OS's
 * config folder (`onair-studio`, beside the browser studio's settings).
 *
 * Only the ledger goes here (SIDs of created resources); settings and the API secret
 * stay in memory. Entries are kept per account, so a stop against another account
 * (or another local cloud) never drops what this one still runs. conf replaces the
 * file atomically on every write, so concurrent CLI processes never leave half a file.
 */
export function cliLedgerStore(accountSid: string, env: NodeJS.ProcessEnv = process.env): KeyValueStore {
  // Opened on first use: commands that never touch a broadcast leave no file behind.
  let opened: Conf<Scopes> | undefined;
  const file = () =>
    (opened ??= new Conf<Scopes>({
      projectName: 'onair-studio',
      projectSuffix: '',
      configName: 'cli-ledger',
      accessPropertiesByDotNotation: false,
      ...(env.ONAIR_DATA_DIR ? { cwd: env.ONAIR_DATA_DIR } : {}),
    }));
  const scope = (): Record<string, unknown> => file().get(accountSid) ?? {};
  const save = (values: Record<string, unknown>) => {
    if (Object.keys(values).length > 0) file().set(accountSid, values);
    else file().delete(accountSid);
  };
  return {
    get: (key) => scope()[key],
    set: (key, value) => save({ ...scope(), [key]: value }),
    delete: (key) => {
      const { [key]: _removed, ...rest } = scope();
      save(rest);
    },
  };
}
