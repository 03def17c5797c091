import type { Command } from 'commander';
import { DESTINATION_PRESET_IDS, type DestinationPresetIdWire, type DestinationView } from '../shared/destinations';
import { StudioError } from '../shared/errors';
import { dataFolderCore, dataFolderOf } from './data-folder-core';
import type { Printer } from './output';
import { readStreamKey } from './read-key';

interface DataOptions {
  dataDir?: string;
  json?: boolean;
}

/** One destination as a line: name, preset, server, key hint, on/off, id. */
function line(view: DestinationView): string {
  return `${view.enabled ? 'on ' : 'off'}  ${view.name}  (${view.presetId}, ${view.serverUrl}, key ${view.keyHint ?? 'not set'})  id ${view.id}`;
}

/**
 * `onair destination add|list|remove`: the destinations of a data folder (the web studio's), through
 * the same destination service as the app. The stream key comes from standard input or a prompt.
 */
export function addDestinationCommands(program: Command, print: Printer): void {
  const destination = program.command('destination').description('where Go live publishes: RTMP/RTMPS destinations (stored in the data folder)');
  const withData = (command: Command) =>
    command.option('--data-dir <dir>', 'the data folder (ONAIR_DATA_DIR; the web studio’s folder)').option('--json', 'machine-readable output');

  withData(destination.command('add').description('add a destination; the stream key is read from standard input, or asked for (never an argument)'))
    .requiredOption('--name <name>', 'a name of your own, e.g. "My channel"')
    .option('--preset <id>', `the platform: ${DESTINATION_PRESET_IDS.join(', ')}`, 'custom')
    .option('--server <url>', 'the server URL (rtmp:// or rtmps://); default: the preset’s')
    .option('--disabled', 'add it turned off')
    .action(async (options: DataOptions & { name: string; preset: string; server?: string; disabled?: boolean }) => {
      if (!(DESTINATION_PRESET_IDS as readonly string[]).includes(options.preset)) {
        throw new StudioError('destination.preset_unknown', `--preset must be one of ${DESTINATION_PRESET_IDS.join(', ')}; got "${options.preset}".`);
      }
      const core = dataFolderCore(dataFolderOf(options.dataDir));
      try {
        const streamKey = await readStreamKey();
        const view = await core.destinations.add({
          name: options.name,
          presetId: options.preset as DestinationPresetIdWire,
          serverUrl: options.server ?? null,
          streamKey,
          enabled: !options.disabled,
        });
        print({ human: `Added: ${line(view)}`, json: view }, Boolean(options.json));
      } finally {
        await core.close();
      }
    });

  withData(destination.command('list').description('the destinations (keys are never shown, only their last characters)')).action(async (options: DataOptions) => {
    const core = dataFolderCore(dataFolderOf(options.dataDir));
    try {
      const views = core.destinations.list();
      print({ human: views.length === 0 ? 'No destinations. Add one with: onair destination add --name <name> --server <url>' : views.map(line).join('\n'), json: views }, Boolean(options.json));
    } finally {
      await core.close();
    }
  });

  withData(destination.command('remove').description('remove a destination and its stored key'))
    .argument('<id>', 'the destination’s id (onair destination list)')
    .action(async (id: string, options: DataOptions) => {
      const core = dataFolderCore(dataFolderOf(options.dataDir));
      try {
        const view = core.destinations.find(id);
        if (!view) throw new StudioError('destination.not_found', `There is no destination with id ${id}.`);
        await core.destinations.remove(id);
        print({ human: `Removed ${view.name} (${id}).`, json: { removed: id } }, Boolean(options.json));
      } finally {
        await core.close();
      }
    });
}
