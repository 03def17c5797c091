import Conf from 'conf';

/**
 * The settings store of the web studio (`npm run studio:web`) and the CLI's `destination` and
 * `live` commands, so both see the same destinations: `<dataDir>/settings-web.json`, or the OS
 * config folder `onair-studio` without a data folder. (The desktop app keeps its own store,
 * encrypted with the OS keychain through Electron, which plain Node cannot read.)
 */
export function webSettingsStore(dataDir?: string): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({
    projectName: 'onair-studio',
    projectSuffix: '',
    configName: 'settings-web',
    ...(dataDir ? { cwd: dataDir } : {}),
  });
}
