/** Hostile names and values stay literal in the Markdown a pull request shows. */
import { mdCode, mdText } from '../../src/cli/render/markdown.js';

test.each([
  ['a link', '[click](https://evil.example)', '\\[click\\](https\\://evil.example)'],
  ['an image', '![x](https://evil.example/p.png)', '\\!\\[x\\](https\\://evil.example/p.png)'],
  ['HTML and a fake marker', '<!-- mvgit-report --><img src=x>', '\\<\\!-- mvgit-report --\\>\\<img src=x\\>'],
  ['a mention and a table break', '@team | x', '\\@team \\| x'],
  ['a new line', 'a\nb', 'a b'],
  ['names stay readable; ~ is strikethrough in GFM', 'train.max_depth HEAD~2 +0.5', 'train.max_depth HEAD\\~2 +0.5'],
])('mdText: %s', (_what, input, expected) => {
  expect(mdText(input)).toBe(expected);
});

test('mdCode: a name with backticks cannot close its code span', () => {
  expect(mdCode('data/train')).toBe('`data/train`');
  expect(mdCode('a`b')).toBe('``a`b``');
  expect(mdCode('x``` [l](u)')).toBe('````x``` [l](u)````');
  expect(mdCode('a|b\nc')).toBe('`a\\|b c`');
});
