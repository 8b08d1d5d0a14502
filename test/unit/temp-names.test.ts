/**
 * The temp-name scheme (src/core/store/file-ops.ts): only names of the exact shape tmpPathBeside
 * makes are mvgit's, and only those whose process is gone are ever deleted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { clearDeadTemps, isDeadTemp, tempOwner, tmpPathBeside } from '../../src/base/fs/temp-files.js';
import { cleanup, tempDir } from '../helpers/repo.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

let live: ChildProcess;
beforeAll(() => {
  live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
afterAll(() => {
  live.kill();
});

test('tmpPathBeside makes a hidden name beside the target that parses back to this process', () => {
  const t = tmpPathBeside('/some/dir/model.bin');
  expect(path.dirname(t)).toBe('/some/dir');
  expect(path.basename(t)).toMatch(/^\.model\.bin\.mvgit-tmp-\d+-\d+-[0-9a-f]{6}$/);
  expect(tempOwner(path.basename(t))).toBe(process.pid);
  expect(tmpPathBeside('/d/x')).not.toBe(tmpPathBeside('/d/x'));
});

test.each([
  'backup.mvgit-tmp-old.txt',
  '.backup.mvgit-tmp-old.txt',
  'model.bin.mvgit-tmp-123', // the old pointer-writer scheme: not a name mvgit makes now
  '.x.mvgit-tmp-123-0-abcdef.txt',
  '.x.mvgit-tmp-0-1-abcdef',
  '.mvgit-tmp-123-0-abcdef',
])('%s is a user file, not a temp of ours', (name) => {
  expect(tempOwner(name)).toBeNull();
  expect(isDeadTemp(name)).toBe(false);
});

test('a temp of a process that is gone is dead; of a live one or this one, not', () => {
  expect(isDeadTemp(`.a.mvgit-tmp-${deadPid()}-0-abcdef`)).toBe(true);
  expect(isDeadTemp(`.a.mvgit-tmp-${live.pid}-0-abcdef`)).toBe(false);
  expect(isDeadTemp(path.basename(tmpPathBeside('/d/a')))).toBe(false);
});

test("clearDeadTemps removes only dead temps (files and staging folders), never a user's file or a live temp", () => {
  const dir = tempDir('mvgit-temps-');
  try {
    const dead = deadPid();
    const names = {
      deadFile: `.m.bin.mvgit-tmp-${dead}-3-abc123`,
      deadStage: `.ds.mvgit-tmp-${dead}-4-def456`,
      liveFile: `.m.bin.mvgit-tmp-${live.pid}-0-abcdef`,
      ownFile: path.basename(tmpPathBeside(path.join(dir, 'm.bin'))),
      user: 'backup.mvgit-tmp-old.txt',
    };
    for (const [k, n] of Object.entries(names)) {
      if (k === 'deadStage') {
        fs.mkdirSync(path.join(dir, n, 'sub'), { recursive: true });
        fs.writeFileSync(path.join(dir, n, 'sub', 'f'), 'x');
      } else fs.writeFileSync(path.join(dir, n), k);
    }
    clearDeadTemps(dir);
    expect(fs.readdirSync(dir).sort()).toEqual([names.liveFile, names.ownFile, names.user].sort());
    expect(fs.readFileSync(path.join(dir, names.user), 'utf8')).toBe('user');
  } finally {
    cleanup(dir);
  }
});
