/**
 * Simple tracking rules (`*`, `?`) are matched without fast-glob so the pre-commit hook stays
 * fast; they must match exactly what fast-glob matched with the options track.ts uses.
 */
import fg from 'fast-glob';
import fs from 'node:fs';
import path from 'node:path';
import { matchSimpleGlob } from '../../src/core/workspace/glob.js';
import { cleanup, tempDir, writeFile } from '../helpers/repo.js';

let root: string;
beforeAll(() => {
  root = tempDir();
  for (const f of [
    'models/a.pkl',
    'models/b.pkl',
    'models/.hidden.pkl',
    'models/a.pkl.mvgit.yaml',
    'models/notes.txt',
    'models/sub/c.pkl',
    'models/dir.pkl/inside.bin',
    'runs/1/model.bin',
    'runs/22/model.bin',
    'runs/x/other.bin',
    'runs/.cache/model.bin',
    'node_modules/m.pkl',
    'm.pkl',
    '.cache/x.pkl',
    'data/train/a.csv',
    'data/test/b.csv',
  ])
    writeFile(root, f, 'x');
  fs.mkdirSync(path.join(root, 'models', 'empty.pkl'));
  fs.symlinkSync(path.join(root, 'models', 'a.pkl'), path.join(root, 'models', 'link.pkl'));
});
afterAll(() => cleanup(root));

const IGNORE = ['.git/**', '**/.git/**', '.mvgit/**', '**/node_modules/**', '**/*.mvgit.yaml'];

test.each(['models/*.pkl', '*.pkl', 'runs/*/model.bin', 'data/*', '*/*.bin', '.cache/*.pkl', 'models/*'])(
  '%s matches what fast-glob matches',
  async (pattern) => {
    const expected = (
      await fg(pattern, {
        cwd: root,
        onlyFiles: false,
        markDirectories: true,
        dot: false,
        ignore: IGNORE,
        followSymbolicLinks: false,
      })
    )
      .map((e) => ({ path: e.replace(/\/$/, ''), isDir: e.endsWith('/') }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    const got = matchSimpleGlob(root, pattern)!.sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(got).toEqual(expected);
  },
);

test('anything richer is left to fast-glob', () => {
  for (const p of [
    'runs/?/model.bin',
    '**/*.pkl',
    'models/{a,b}.pkl',
    'models/[ab].pkl',
    '!models/a.pkl',
    'models/\\*.pkl',
    './models/*.pkl',
  ])
    expect(matchSimpleGlob(root, p)).toBeNull();
});
