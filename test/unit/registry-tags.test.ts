/** GTO's tag grammar, semver order, and the registry state folded from events. */
import { compareSemVer, bumpSemVer, isSemVer } from '../../src/core/history/semver.js';
import {
  compareEvents,
  malformedReason,
  parseRegistryTag,
  type RegistryEvent,
  rollbackMarker,
} from '../../src/core/history/registry-tags.js';
import { buildRegistry, rollbackTarget } from '../../src/core/history/registry-state.js';
import { isRegistryRef } from '../../src/core/history/registry-ref.js';
import { deriveName, nameArtifacts } from '../../src/core/history/registry-names.js';

describe('tag grammar', () => {
  test.each([
    ['churn@v1.2.3', { name: 'churn', action: 'register', version: 'v1.2.3', stage: null, counter: null }],
    ['churn@v1.2.3-rc.1+build.5', { name: 'churn', action: 'register', version: 'v1.2.3-rc.1+build.5' }],
    ['churn@v1.2.3!', { action: 'deregister', version: 'v1.2.3' }],
    ['churn@v1.2.3!#4', { action: 'deregister', counter: 4 }],
    ['churn@deprecated', { action: 'deprecate', version: null, stage: null }],
    ['churn@deprecated#9', { action: 'deprecate', counter: 9 }],
    ['churn#prod#3', { action: 'assign', stage: 'prod', counter: 3 }],
    ['churn#prod', { action: 'assign', stage: 'prod', counter: null }],
    ['churn#prod!#4', { action: 'unassign', stage: 'prod', counter: 4 }],
    ['models/churn#staging#1', { name: 'models/churn', stage: 'staging' }],
    ['data=churn@v0.1.0', { name: 'data:churn', version: 'v0.1.0' }],
  ])('%s', (tag, expected) => {
    expect(parseRegistryTag(tag)).toMatchObject(expected);
  });

  test.each(['v1.0.0', 'release-2024', 'churn@created', 'churn', 'x@1.0.0'])('%s is not a registry tag', (tag) => {
    expect(parseRegistryTag(tag)).toBeNull();
  });

  test.each([
    ['churn@v1.0', "'v1.0' is not a semantic version (vMAJOR.MINOR.PATCH, e.g. v1.2.0)"],
    ['churn@v01.0.0', "'v01.0.0' is not a semantic version (vMAJOR.MINOR.PATCH, e.g. v1.2.0)"],
    ['churn#prod#x', 'the counter after the last # must be a number'],
    [
      'churn#-prod#1',
      "'-prod' is not a stage name (letters, digits, '-', '_', '/'; starts and ends with a letter or digit)",
    ],
  ])('%s is malformed: %s', (tag, reason) => {
    expect(malformedReason(tag)).toBe(reason);
  });

  test('unrelated tags are neither ours nor malformed', () => {
    for (const tag of ['v1.0.0', 'release-1', 'build_42', 'churn@v1.0.0']) expect(malformedReason(tag)).toBeNull();
  });

  test('registry references: GTO shortcuts only', () => {
    for (const ref of ['churn@v0.2.0', 'churn@latest', 'churn@greatest', 'churn#prod', 'models/churn#prod'])
      expect(isRegistryRef(ref)).toBe(true);
    for (const ref of ['HEAD', 'main', 'v1.0', 'churn#prod#3', 'churn@v1', 'HEAD@{1}', 'churn@'])
      expect(isRegistryRef(ref)).toBe(false);
  });
});

describe('semver', () => {
  test('precedence', () => {
    const sorted = ['v1.0.0', 'v0.10.0', 'v0.9.1', 'v1.0.0-rc.1', 'v1.0.0-alpha', 'v1.0.0-rc.10', 'v1.0.0-rc.2'].sort(
      compareSemVer,
    );
    expect(sorted).toEqual([
      'v0.9.1',
      'v0.10.0',
      'v1.0.0-alpha',
      'v1.0.0-rc.1',
      'v1.0.0-rc.2',
      'v1.0.0-rc.10',
      'v1.0.0',
    ]);
  });
  test('bump and validity', () => {
    expect(bumpSemVer('v0.1.9', 'patch')).toBe('v0.1.10');
    expect(bumpSemVer('v0.1.9', 'minor')).toBe('v0.2.0');
    expect(bumpSemVer('v0.1.9', 'major')).toBe('v1.0.0');
    expect(isSemVer('v1.2.3')).toBe(true);
    expect(isSemVer('1.2.3')).toBe(false);
    expect(isSemVer('v1.2')).toBe(false);
  });
});

describe('names', () => {
  test.each([
    ['models/churn.pkl', 'churn'],
    ['models/Churn_Model.v2.pkl', 'churn-model-v2'],
    ['data/digits', 'digits'],
    ['data/digits/', 'digits'],
    ['models/___.pkl', null],
  ])('%s -> %s', (p, name) => expect(deriveName(p)).toBe(name));

  test('two paths with one name: an error naming both', () => {
    expect(() => nameArtifacts(['a/churn.pkl', 'b/churn.pkl'], {})).toThrow(
      "a/churn.pkl and b/churn.pkl would both be named 'churn'",
    );
    expect(nameArtifacts(['a/churn.pkl', 'b/churn.pkl'], { churn: 'b/churn.pkl' }).get('churn')).toBe('b/churn.pkl');
  });
});

let clock = 1_700_000_000;
const commits: Record<string, string> = { v1: 'c1'.repeat(20), v2: 'c2'.repeat(20), v3: 'c3'.repeat(20) };
function ev(tag: string, commit: string, message = ''): RegistryEvent {
  const parsed = parseRegistryTag(tag);
  if (!parsed) throw new Error(tag);
  clock += 1;
  return {
    ...parsed,
    tag,
    commit,
    author: 'Ann',
    authorEmail: 'ann@example.com',
    time: clock,
    message,
    rollback: message.includes('mvgit-rollback') ? { from: '', to: '' } : null,
  };
}

describe('state', () => {
  const base = (): RegistryEvent[] => [
    ev('churn@v0.1.0', commits.v1),
    ev('churn@v0.2.0', commits.v2),
    ev('churn@v0.3.0', commits.v3),
    ev('churn#prod#1', commits.v2),
    ev('churn#prod#2', commits.v3),
  ];

  test('latest, versions and the newest assignment', () => {
    const a = buildRegistry(base()).artifacts.get('churn')!;
    expect(a.latest?.version).toBe('v0.3.0');
    expect(a.versions.map((v) => v.version)).toEqual(['v0.3.0', 'v0.2.0', 'v0.1.0']);
    expect(a.stages.map((s) => [s.stage, s.version])).toEqual([['prod', 'v0.3.0']]);
    expect(rollbackTarget(a, 'prod')).toBe('v0.2.0');
  });

  test('repeated rollbacks walk further back', () => {
    const events = [ev('churn#prod#0', commits.v1), ...base()];
    events.sort(compareEvents);
    events.push(ev('churn#prod#3', commits.v2, `Rolling back\n\n${rollbackMarker('v0.3.0', 'v0.2.0')}`));
    let a = buildRegistry(events).artifacts.get('churn')!;
    expect(a.stages[0].version).toBe('v0.2.0');
    expect(rollbackTarget(a, 'prod')).toBe('v0.1.0');
    events.push(ev('churn#prod#4', commits.v1, rollbackMarker('v0.2.0', 'v0.1.0')));
    a = buildRegistry(events).artifacts.get('churn')!;
    expect(a.stages[0].version).toBe('v0.1.0');
    expect(rollbackTarget(a, 'prod')).toBeNull();
  });

  test('unassign and deregister take a version out; deprecate marks the artifact', () => {
    const events = [...base(), ev('churn#prod!#3', commits.v3)];
    let a = buildRegistry(events).artifacts.get('churn')!;
    // GTO's rule: the stage falls back to the newest version still assigned.
    expect(a.stages[0].version).toBe('v0.2.0');
    events.push(ev('churn#prod!#4', commits.v2));
    a = buildRegistry(events).artifacts.get('churn')!;
    expect(a.stages).toEqual([]);
    events.push(ev('churn@v0.3.0!#5', commits.v3), ev('churn@deprecated#6', commits.v3));
    a = buildRegistry(events).artifacts.get('churn')!;
    expect(a.latest?.version).toBe('v0.2.0');
    expect(a.deprecated).toBe(true);
  });

  test('same second: the counter orders events', () => {
    const a = ev('churn#prod#2', commits.v3);
    const b = { ...ev('churn#prod#1', commits.v2), time: a.time };
    expect([a, b].sort(compareEvents).map((e) => e.tag)).toEqual(['churn#prod#1', 'churn#prod#2']);
  });
});
