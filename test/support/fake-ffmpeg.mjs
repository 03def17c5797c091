// A stand-in for ffmpeg in the process runner's unit tests (test/unit/ffmpeg-process.test.ts):
// node fake-ffmpeg.mjs <mode> [n]. Written here for these tests.
//   sink        read stdin to its end; print "read <bytes> <sha256>" on stderr; exit 0
//   paused      like sink, but read nothing until SIGUSR2 (the pipe fills up)
//   deaf        never read stdin and never exit on its own (stop must kill it)
//   die <code>  print "fatal: giving up" on stderr and exit with <code> at once
//   chatty <n>  print n numbered lines on stderr, then behave like sink
//   progress <n> print n -progress blocks on stdout (frame=1..n), then behave like sink
import { createHash } from 'node:crypto';

const [mode, arg] = process.argv.slice(2);
const sink = () => {
  const hash = createHash('sha256');
  let bytes = 0;
  process.stdin.on('data', (chunk) => {
    bytes += chunk.length;
    hash.update(chunk);
  });
  process.stdin.on('end', () => {
    process.stderr.write(`read ${bytes} ${hash.digest('hex')}\n`, () => process.exit(0));
  });
  // After an explicit pause() a 'data' listener alone does not start the flow.
  process.stdin.resume();
};

if (mode === 'sink') sink();
else if (mode === 'paused') {
  process.stdin.pause();
  // A paused stdin does not keep the process alive: this does, until the signal.
  const alive = setInterval(() => {}, 1000);
  process.on('SIGUSR2', () => {
    clearInterval(alive);
    sink();
  });
  process.stderr.write('paused\n');
} else if (mode === 'deaf') {
  process.stderr.write('deaf\n');
  process.on('SIGTERM', () => {});
  setInterval(() => {}, 1000);
} else if (mode === 'die') {
  process.stderr.write('fatal: giving up\n', () => process.exit(Number(arg)));
} else if (mode === 'chatty') {
  let text = '';
  for (let i = 0; i < Number(arg); i++) text += `line ${i}\n`;
  process.stderr.write(text, () => sink());
} else if (mode === 'progress') {
  let text = '';
  for (let i = 1; i <= Number(arg); i++) text += `frame=${i}\nfps=30.0\nbitrate=2500.0kbits/s\ntotal_size=${i * 1000}\nout_time_us=${i * 33333}\nprogress=continue\n`;
  process.stdout.write(text, () => sink());
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
