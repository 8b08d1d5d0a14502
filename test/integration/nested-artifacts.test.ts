/**
 * One artifact never holds another: `mvgit add`, tracking rules and the pre-commit hook refuse
 * to make a folder artifact whose manifest would swallow another artifact's pointer (which git
 * could then never see, the folder being ignored), either way round.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths, addTracked } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { preCommit } from '../../src/core/hooks/pre-commit.js';
import { init } from '../../src/core/repo/init.js';
import { addRules } from '../../src/core/workspace/track.js';
import { cleanup, git, makeGitRepo, treeSnapshot, writeFile } from '../helpers/repo.js';

let repo: string;
let ws: Workspace;

const open = (): Promise<Workspace> => openWorkspace({ cwd: repo, link: 'copy' });
const exists = (rel: string): boolean => fs.existsSync(path.join(repo, rel));
const rules = (): string => fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8');

beforeEach(async () => {
  repo = makeGitRepo();
  init(repo);
  git(repo, ['add', '.mvgit']);
  git(repo, ['commit', '-q', '-m', 'mvgit init']);
  writeFile(repo, 'ds/g1/a.csv', 'a');
  writeFile(repo, 'ds/g2/b.csv', 'b');
  writeFile(repo, 'ds/readme.txt', 'r');
  ws = await open();
});
afterEach(() => cleanup(repo));

describe('mvgit add', () => {
  test('adding a folder that holds another artifact is refused, with both ways out', async () => {
    await addPaths(ws, ['ds/g1'], { cwd: repo });
    const before = treeSnapshot(repo);
    const err = await addPaths(ws, ['ds'], { cwd: repo }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NESTED_ARTIFACT',
      message:
        'ds holds ds/g1.mvgit.yaml, the pointer of ds/g1, another artifact: a folder artifact cannot hold another',
      hint:
        'to record ds as one artifact, stop tracking ds/g1 on its own first (the data stays): git rm -q --cached --ignore-unmatch ds/g1.mvgit.yaml && rm ds/g1.mvgit.yaml, then mvgit add ds; ' +
        'or add the other paths inside it one by one: mvgit add ds/g2 ds/readme.txt',
    });
    expect(exists('ds.mvgit.yaml')).toBe(false);
    expect(treeSnapshot(repo)).toEqual(before);
    // The hint's commands work: then the folder is one artifact.
    git(repo, ['rm', '-q', '--cached', '--ignore-unmatch', 'ds/g1.mvgit.yaml']);
    fs.rmSync(path.join(repo, 'ds/g1.mvgit.yaml'));
    expect((await addPaths(ws, ['ds'], { cwd: repo }))[0]).toMatchObject({ path: 'ds', changed: true });
  });

  test('any *.mvgit.yaml deep inside the folder counts, even in a folder git ignores', async () => {
    writeFile(repo, 'ds/g1/.gitignore', '*\n');
    writeFile(repo, 'ds/g1/deep/x.bin.mvgit.yaml', 'not even a pointer');
    await expect(addPaths(ws, ['ds'], { cwd: repo })).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: expect.stringContaining('ds holds ds/g1/deep/x.bin.mvgit.yaml'),
    });
    expect(exists('ds.mvgit.yaml')).toBe(false);
  });

  test('adding a path inside a folder artifact is refused, with both ways out', async () => {
    await addPaths(ws, ['ds'], { cwd: repo });
    const err = await addPaths(ws, ['ds/g1'], { cwd: repo }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: 'ds/g1 is inside ds, which is tracked as one artifact (ds.mvgit.yaml): an artifact cannot hold another',
      hint:
        "record the whole folder with 'mvgit add ds'; or, to track the paths inside it on their own, stop tracking ds first: " +
        'git rm -q --cached --ignore-unmatch ds.mvgit.yaml && rm ds.mvgit.yaml, delete the line /ds/ from .gitignore, then mvgit add ds/g1',
    });
    expect(exists('ds/g1.mvgit.yaml')).toBe(false);
  });

  test('a folder and a path inside it in one add: refused before anything is written', async () => {
    const before = treeSnapshot(repo);
    await expect(addPaths(ws, ['ds/g1', 'ds'], { cwd: repo })).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: 'ds/g1 is inside ds, and both were given to add: an artifact cannot hold another',
    });
    expect(treeSnapshot(repo)).toEqual(before);
  });

  test('sibling names that only share a prefix are not nested', async () => {
    writeFile(repo, 'ds-old/x.csv', 'x');
    await addPaths(ws, ['ds/g1'], { cwd: repo });
    expect((await addPaths(ws, ['ds-old', 'ds/g2'], { cwd: repo })).map((a) => a.path)).toEqual(['ds-old', 'ds/g2']);
  });
});

describe('tracking rules', () => {
  test('a rule for a folder that holds an artifact is refused and not written', async () => {
    await addPaths(ws, ['ds/g1'], { cwd: repo });
    await expect(addRules(ws.repo, ['ds'], 'dataset')).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message:
        "ds (matched by tracking rule 'ds') holds ds/g1.mvgit.yaml, the pointer of ds/g1, another artifact: a folder artifact cannot hold another",
      hint: expect.stringContaining(
        'git rm -q --cached --ignore-unmatch ds/g1.mvgit.yaml && rm ds/g1.mvgit.yaml, then mvgit track ds',
      ),
    });
    expect(rules()).not.toContain('ds');
  });

  test('a rule matching inside a folder artifact is refused', async () => {
    await addPaths(ws, ['ds'], { cwd: repo });
    await expect(addRules(ws.repo, ['ds/*'], 'dataset')).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: expect.stringMatching(
        /^ds\/g1 \(matched by tracking rule 'ds\/\*'\) is inside ds, which is tracked as one artifact/,
      ),
    });
    expect(rules()).not.toContain('ds/*');
  });

  test('rules matching a folder and something inside it are refused, with the rules named', async () => {
    await expect(addRules(ws.repo, ['ds/**'], 'dataset')).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message:
        "tracking rule 'ds/**' matches both the folder ds/g1 and ds/g1/a.csv inside it: an artifact cannot hold another",
    });
    await addRules(ws.repo, ['ds/g1'], 'dataset');
    await expect(addRules(ws.repo, ['ds/*/*.csv'], 'dataset')).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message:
        "tracking rule 'ds/g1' matches the folder ds/g1 and rule 'ds/*/*.csv' matches ds/g1/a.csv inside it: an artifact cannot hold another",
      hint: expect.stringContaining(
        'make the rules match either the folder as one artifact or the files inside it, not both',
      ),
    });
    expect(rules()).not.toContain('*');
  });

  test('mvgit add with no path will not record a rule-matched folder over an artifact inside it', async () => {
    await addRules(ws.repo, ['ds'], 'dataset');
    // The inner artifact arrives after the rule (mvgit add, or a teammate's commit).
    await addPaths(ws, ['ds/g1'], { cwd: repo });
    ws = await open();
    await expect(addTracked(ws)).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: expect.stringContaining('ds (matched by a tracking rule) holds ds/g1.mvgit.yaml'),
    });
    expect(exists('ds.mvgit.yaml')).toBe(false);
  });

  test('mvgit add with no path will not record a match inside a folder artifact', async () => {
    await addRules(ws.repo, ['ds/*/*.csv'], 'dataset');
    await addPaths(ws, ['ds'], { cwd: repo });
    ws = await open();
    await expect(addTracked(ws)).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: expect.stringContaining('ds/g1/a.csv (matched by a tracking rule) is inside ds'),
    });
    expect(exists('ds/g1/a.csv.mvgit.yaml')).toBe(false);
  });

  test('the pre-commit hook refuses the commit instead of swallowing the inner pointer', async () => {
    await addRules(ws.repo, ['ds'], 'dataset');
    await addPaths(ws, ['ds/g1'], { cwd: repo });
    git(repo, ['add', '-A']);
    await expect(preCommit({ cwd: repo, commitArgs: null })).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message: expect.stringContaining('ds (matched by a tracking rule) holds ds/g1.mvgit.yaml'),
    });
    expect(exists('ds.mvgit.yaml')).toBe(false);
  });
});
