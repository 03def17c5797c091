import { CommanderError } from 'commander';
import { reportError } from './output';
import { buildProgram } from './onair';

const json = process.argv.includes('--json');
try {
  await buildProgram()
    .exitOverride()
    .parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else process.exitCode = reportError(error, json);
}
