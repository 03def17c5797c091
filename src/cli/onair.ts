import { Command, Option } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../main/core/local-cloud/index';
import { ensureRoom } from '../main/core/twilio/rooms';
import { issueVideoToken } from '../main/core/twilio/tokens';
import { StudioError } from '../shared/errors';
import { coreFromOptions, type CliTwilioOptions } from './cli-core';
import { addDestinationCommands } from './destination-commands';
import { addLiveCommand } from './live-command';
import { printResult, type Printer } from './output';

/**
 * `onair`: the studio's core from a terminal. Configuration comes from the Twilio
 * CLI's environment names (TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET),
 * plus TWILIO_SYNC_SERVICE_SID and ONAIR_TWILIO_API_ORIGIN; flags override them.
 */
export function buildProgram(print: Printer = printResult): Command {
  const program = new Command('onair').description('OnAir Studio from the command line').showHelpAfterError();

  const withTwilio = (command: Command) =>
    command
      .option('--account-sid <sid>', 'Account SID (TWILIO_ACCOUNT_SID)')
      .option('--api-key <sid>', 'API key SID (TWILIO_API_KEY)')
      .option('--api-secret <secret>', 'API key secret (TWILIO_API_SECRET)')
      .option('--sync-service <sid>', 'Sync service SID (TWILIO_SYNC_SERVICE_SID)')
      .option('--origin <url>', 'a Twilio-compatible origin, e.g. the local cloud (ONAIR_TWILIO_API_ORIGIN)')
      .option('--json', 'machine-readable output');

  const run = (action: (options: CliTwilioOptions & { json?: boolean }) => Promise<{ human: string; json: unknown }>) =>
    async (options: CliTwilioOptions & { json?: boolean }) => {
      const result = await action(options);
      print(result, Boolean(options.json));
    };

  const cloud = program.command('cloud').description('the embedded Twilio-compatible local cloud');
  cloud
    .command('serve')
    .description('run the local cloud on 127.0.0.1 until stopped (Ctrl+C)')
    .addOption(new Option('--port <port>', 'port (0 = any free port)').default('4010'))
    .option('--data <dir>', 'state folder', process.env.ONAIR_DATA_DIR ? join(process.env.ONAIR_DATA_DIR, 'local-cloud') : join(homedir(), '.onair-studio', 'local-cloud'))
    .option('--json', 'machine-readable output')
    .option('--test-controls', 'for tests only: serve /__control/faults and /__control/clock (fault injection, clock)')
    .action(async (options: { port: string; data: string; json?: boolean; testControls?: boolean }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StudioError('ipc.invalid_payload', `--port must be 0-65535, got "${options.port}".`);
      const local = await startLocalCloud({ dataDir: options.data, port, testControls: options.testControls === true });
      const { accountSid, apiKeySid, apiSecret, syncServiceSid } = local.credentials;
      print(
        {
          human: [
            `Local cloud listening on ${local.origin} (state in ${options.data}). Use it with:`,
            `  export ONAIR_TWILIO_API_ORIGIN=${local.origin}`,
            `  export TWILIO_ACCOUNT_SID=${accountSid}`,
            `  export TWILIO_API_KEY=${apiKeySid}`,
            `  export TWILIO_API_SECRET=${apiSecret}`,
            `  export TWILIO_SYNC_SERVICE_SID=${syncServiceSid}`,
          ].join('\n'),
          json: { event: 'ready', origin: local.origin, dataDir: options.data, credentials: local.credentials },
        },
        Boolean(options.json),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await local.close();
    });

  const room = program.command('room').description('Twilio Video rooms');
  withTwilio(room.command('ensure').description('reuse the in-progress room with this name, or create it'))
    .option('--name <name>', 'unique room name', 'myroom')
    .action(
      run(async (options) => {
        const core = await coreFromOptions(options);
        const info = await ensureRoom((await core.connections.current()).twilio, (options as { name: string }).name);
        return { human: `${info.created ? 'Created' : 'Reusing'} room ${info.uniqueName} (${info.sid}, ${info.status})`, json: info };
      }),
    );

  const token = program.command('token').description('access tokens');
  withTwilio(token.command('video').description('a Video access token for one identity and room'))
    .requiredOption('--identity <name>', 'who joins')
    .option('--room <name>', 'room name', 'myroom')
    .action(
      run(async (options) => {
        const { identity, room } = options as { identity: string; room: string };
        const core = await coreFromOptions(options);
        const minted = await issueVideoToken(core.connections, { identity, room });
        return { human: minted.token, json: minted };
      }),
    );
  withTwilio(token.command('playback').description('a playback token for the live broadcast (Twilio Live player)')).action(
    run(async (options) => {
      const core = await coreFromOptions(options);
      await core.broadcast.resume();
      const minted = await core.broadcast.playbackToken();
      return { human: minted.token, json: minted };
    }),
  );

  const broadcast = program.command('broadcast').description('the broadcast: PlayerStreamer + MediaProcessor, recorded in Sync');
  withTwilio(broadcast.command('start').description('go live (or report the broadcast already live)'))
    .option('--room <name>', 'room name', 'myroom')
    .option('--identity <name>', 'identity in the room', 'streamer')
    .action(
      run(async (options) => {
        const core = await coreFromOptions(options);
        await core.broadcast.detect();
        // The same Go live as the app's (this run's settings have no destinations: the Twilio broadcast).
        const status = await core.live.goLive();
        return { human: `Live: room ${status.roomSid}, PlayerStreamer ${status.playerStreamerSid}, MediaProcessor ${status.mediaProcessorSid}`, json: status };
      }),
    );
  withTwilio(broadcast.command('stop').description('end the broadcast recorded in streaming_info, and what earlier runs created (kept in ONAIR_DATA_DIR)')).action(
    run(async (options) => {
      const core = await coreFromOptions(options);
      const status = await core.live.stop();
      return { human: 'Stopped: nothing is running.', json: status };
    }),
  );
  withTwilio(broadcast.command('status').description('what is live, from streaming_info and the cloud')).action(
    run(async (options) => {
      const core = await coreFromOptions(options);
      const status = await core.broadcast.detect();
      return { human: status.state === 'orphaned' ? `Live in the cloud: ${status.playerStreamerSid ?? '-'} / ${status.mediaProcessorSid ?? '-'}` : 'Nothing is live.', json: status };
    }),
  );
  withTwilio(program.command('cleanup').description('end every active MediaProcessor and PlayerStreamer and delete a stale streaming_info')).action(
    run(async (options) => {
      const core = await coreFromOptions(options);
      const report = await core.broadcast.cleanup();
      const lines = report.ended.map((r) => `Ended ${r.kind} ${r.sid}`);
      lines.push(report.deletedRecord ? 'Deleted streaming_info.' : 'No streaming_info to delete.');
      if (report.ended.length === 0) lines.unshift('Nothing was running.');
      return { human: lines.join('\n'), json: report };
    }),
  );

  addDestinationCommands(program, print);
  addLiveCommand(program);

  return program;
}
