/**
 * Colors and terminal checks in one place. Colors go to a stream only when it is a TTY and
 * NO_COLOR is unset (https://no-color.org); FORCE_COLOR turns them on for tests of the look.
 */
export function colorsOn(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const wrap =
  (open: number, close: number) =>
  (text: string, stream?: NodeJS.WriteStream): string =>
    colorsOn(stream) ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const bold = wrap(1, 22);
export const dim = wrap(2, 22);
export const red = wrap(31, 39);
export const green = wrap(32, 39);
export const yellow = wrap(33, 39);
export const cyan = wrap(36, 39);

export { formatBytes } from '../../base/format.js';

/** `sha256:9f86d0...` -> `9f86d081` */
export function shortOid(oid: string): string {
  return oid.replace(/^sha256:/, '').slice(0, 8);
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const visible = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(c));
    });
  }
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - visible(c))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
