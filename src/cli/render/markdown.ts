/**
 * Markdown pieces shared by `mvgit diff --md` and `mvgit report`: tables, and text from
 * pointers made inert. A pointer is hostile input (anyone can commit one), and a pull request
 * comment must not grow links, images, mentions or HTML out of an artifact's name.
 */

/** Line breaks and other control characters as spaces: one value stays on one table row. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * Text that renders as itself: every character that can open Markdown or HTML is escaped
 * (`_` only at a word's edge: inside a word GFM never reads it, and `max_depth` stays legible),
 * bare URLs (`http://`, `www.`) are broken so GitHub does not link them, and `@` and `#` so
 * nobody is pinged and no issue is linked.
 */
export function mdText(s: string): string {
  return oneLine(s)
    .replace(/[\\`*{}[\]<>&|!~#@]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

/**
 * Inline code, the way CommonMark allows any text in it: a run of backticks longer than any
 * inside, padded when the text touches a backtick. `|` stays escaped, as GFM tables need.
 */
export function mdCode(s: string): string {
  const text = oneLine(s).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A GFM table; the cells are Markdown already (escape them with mdText or mdCode). */
export function mdTable(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]): string => `|${cells.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)];
}
