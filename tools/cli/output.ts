/**
 * Everything the CLI prints goes through here, so that it can wait for the last byte to leave:
 * a pipe to a slow reader holds only 64 KiB, and exiting before stdout drains cuts the output
 * short while reporting success.
 */
let pending: Promise<void> = Promise.resolve();

function write(stream: NodeJS.WriteStream, text: string): void {
  // Write callbacks run in order, so the promise of the latest one covers every earlier write.
  pending = new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

/** One line (or block) of results on stdout. */
export function out(text: string): void {
  write(process.stdout, `${text}\n`);
}

/** Progress and error text on stderr, as given (add the newline yourself). */
export function err(text: string): void {
  write(process.stderr, text);
}

/** Resolves once everything written so far has been handed to the OS. */
export function flushed(): Promise<void> {
  return pending;
}

// A reader that stops early (`| head`) closes the pipe: stop quietly rather than crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
