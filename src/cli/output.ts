/**
 * Where command output goes. Handlers write through this rather than console.log so tests can
 * run the parser in process and read what a user would see.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};

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
