/**
 * Where command output goes. Handlers write through this rather than console.log so tests can
 * run the parser in process and read what a user would see.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
};

function write(stream: NodeJS.WriteStream, text: string): void {
  // A stream destroyed by a broken pipe only says so again: the reader has gone.
  if (!stream.destroyed) stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

let pipesGuarded = false;

/**
 * A reader that stops early (`mvgit status | head -1`) closes the pipe, and Node reports the
 * next write as an 'error' event that, unheard, ends the process with a stack trace. Git dies
 * quietly of SIGPIPE there; mvgit stops writing to that stream and finishes the command, so a
 * checkout is never cut off half way because nobody reads its summary. Once per process.
 */
export function quietBrokenPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
}

let current: Output = stdio;

/** The output of the running command. */
export function output(): Output {
  return current;
}

/** Swaps the output (tests); returns the previous one. */
export function setOutput(o: Output): Output {
  const prev = current;
  current = o;
  return prev;
}

/** Prints a value as JSON on stdout. */
export function printJson(value: unknown): void {
  current.out(JSON.stringify(value, null, 2));
}
