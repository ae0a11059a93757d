// The `airgap-lint` command: argument parsing and process wiring only; the work is in
// cli/check.ts, cli/generate.ts and the engine. Exit status per product.md: 0 clean, 1 findings at or above
// --fail-on, 2 usage / I/O / config error (one message on stderr, never a stack trace).
import { version } from '../../package.json';
import { CliError, parseArgs, USAGE } from './cli/args';
import { runCheck } from './cli/check';
import { runGenerate } from './cli/generate';

function main(argv: string[]): number {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'allowlist':
    case 'images':
      return runGenerate(args, { cwd: process.cwd(), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    case 'check':
      return runCheck(args, {
        cwd: process.cwd(),
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        columns: process.stdout.isTTY ? process.stdout.columns : undefined,
        toolVersion: version,
      });
  }
}

// `airgap-lint check . | head` closes the pipe early: the rest of the output has nowhere to
// go, so drop it quietly (no EPIPE stack trace); the exit status computed stands.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    process.exitCode = 2;
  });
}

try {
  // exitCode rather than exit(): a large report piped to another program is flushed first.
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`airgap-lint: ${err.message}\n`);
  } else {
    // A bug, or the runtime giving up (a stack overflow): still one line, no trace.
    const reason = err instanceof RangeError ? 'input too deeply nested or too large' : (err as Error)?.message ?? String(err);
    process.stderr.write(`airgap-lint: internal error: ${reason}. Please report this with the command that caused it.\n`);
  }
  process.exitCode = 2;
}
