/**
 * Text from pointers and manifests (someone else's commit: hostile input) as Markdown that
 * shows it literally in a pull-request comment: no links, images, HTML, mentions or table
 * breaks can be smuggled in through a param value or a file name.
 */

/**
 * Plain text: the characters that make links, images, HTML, entities, autolinks, mentions and
 * table cells escaped, line breaks folded. Emphasis marks (`_`, `*`, `~`) are left as they
 * are: at worst cosmetic, and `max_depth` stays readable in the raw comment.
 */
export function mdText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`[\]()<>!|@&:]/g, '\\$&');
}

/** Inline code, fenced with more backticks than the text holds in a row. */
export function mdCode(s: string): string {
  const one = s.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}
