/**
 * One artifact never holds another. A folder artifact's pointer lists every file under it and
 * the folder is ignored by git, so a pointer inside it would be swallowed by the outer
 * manifest and could never be committed. `mvgit add`, the tracking rules and the pre-commit
 * hook refuse to make such a pair, either way round, with the commands that untangle it.
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import { POINTER_SUFFIX } from '../pointer/kind.js';
import { absPath, type Repo } from '../repo/repo.js';
import { quote } from '../../base/format.js';

/** A word as a user types it in sh: quoted only when it has to be. */
export const shellWord = quote;

/** The nearest folder above `repoPath` that is tracked as one artifact (its pointer exists), or null. */
export function trackedFolderAbove(repo: Repo, repoPath: string): string | null {
  const parts = repoPath.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    if (fs.existsSync(absPath(repo, parent + POINTER_SUFFIX))) return parent;
  }
  return null;
}

/** The pointer files among a folder's files (paths inside the folder). */
export function pointersInside(rels: Iterable<string>): string[] {
  return [...rels].filter((r) => r.endsWith(POINTER_SUFFIX)).sort();
}

/** The commands that stop tracking an artifact on its own; its data stays where it is. */
function untrackCommand(pointerPath: string): string {
  const p = shellWord(pointerPath);
  return `git rm -q --cached --ignore-unmatch ${p} && rm ${p}`;
}

/**
 * Where the refused path came from: `mvgit add PATH` (neither set), `mvgit track RULE` (`rule`:
 * the rule being added), or a rule already in force, recorded by `mvgit add` or the
 * pre-commit hook (`fromRules`).
 */
export interface NestedSource {
  rule?: string;
  fromRules?: boolean;
}

/** How the refused step is run again once the user has untangled the artifacts. */
const again = (path: string, via: NestedSource): string =>
  via.rule !== undefined
    ? `mvgit track ${shellWord(via.rule)}`
    : via.fromRules
      ? 'mvgit add'
      : `mvgit add ${shellWord(path)}`;
/** Names what is being refused: a path given to add, or a path a tracking rule matches. */
const subject = (path: string, via: NestedSource): string =>
  via.rule !== undefined
    ? `${path} (matched by tracking rule '${via.rule}')`
    : via.fromRules
      ? `${path} (matched by a tracking rule)`
      : path;
const RULES_FILE = '.mvgit/config.yaml';

/** `mvgit add ds/g1`, or a rule matching ds/g1, while ds is one artifact. */
export function insideTrackedFolderError(path: string, folder: string, via: NestedSource = {}): MvgitError {
  const slash = folder.lastIndexOf('/');
  const ignoreFile = slash < 0 ? '.gitignore' : `${folder.slice(0, slash)}/.gitignore`;
  const whole =
    via.rule !== undefined
      ? `${folder}'s pointer already records it, so the rule is not needed`
      : via.fromRules
        ? `keep ${folder} as one artifact and remove the rule that matches ${path} (mvgit untrack PATTERN; the rules are in ${RULES_FILE})`
        : `record the whole folder with 'mvgit add ${shellWord(folder)}'`;
  return new MvgitError(
    'NESTED_ARTIFACT',
    `${subject(path, via)} is inside ${folder}, which is tracked as one artifact (${folder}${POINTER_SUFFIX}): an artifact cannot hold another`,
    {
      hint: `${whole}; or, to track the paths inside it on their own, stop tracking ${folder} first: ${untrackCommand(folder + POINTER_SUFFIX)}, delete the line /${folder.slice(slash + 1)}/ from ${ignoreFile}, then ${again(path, via)}`,
      data: { path, folder, ...(via.rule === undefined ? {} : { rule: via.rule }) },
    },
  );
}

/** A tracking rule matches a folder and another (or the same) rule something inside it. */
export function nestedRulesError(outerRule: string, outer: string, innerRule: string, inner: string): MvgitError {
  const rules =
    outerRule === innerRule
      ? `tracking rule '${outerRule}' matches both the folder ${outer} and ${inner} inside it`
      : `tracking rule '${outerRule}' matches the folder ${outer} and rule '${innerRule}' matches ${inner} inside it`;
  return new MvgitError('NESTED_ARTIFACT', `${rules}: an artifact cannot hold another`, {
    hint: `make the rules match either the folder as one artifact or the files inside it, not both (a pattern ending in /** matches folders too; '${outer}/**/*.csv' or a rule per folder does not)`,
    data: { path: inner, folder: outer, rules: [...new Set([outerRule, innerRule])] },
  });
}

/**
 * `mvgit add ds` while ds holds pointers (ds/g1.mvgit.yaml). `inner` are paths inside `folder`.
 * The hint offers both ways out: untrack the inner artifacts, or add the rest of the folder
 * piece by piece.
 */
export function holdsArtifactsError(repo: Repo, folder: string, inner: string[], via: NestedSource = {}): MvgitError {
  const pointers = inner.map((r) => `${folder}/${r}`);
  const artifacts = pointers.map((p) => p.slice(0, -POINTER_SUFFIX.length));
  const shown = pointers.slice(0, 5).join(', ') + (pointers.length > 5 ? `, ... (${pointers.length} in all)` : '');
  const rest = otherEntries(repo, folder, inner);
  const pieces =
    via.rule !== undefined
      ? '; or write rules for the paths inside it instead of the folder'
      : via.fromRules
        ? `; or remove the rule that matches ${folder} (mvgit untrack PATTERN; the rules are in ${RULES_FILE}) and track the paths inside it instead`
        : rest.length > 0
          ? `; or add the other paths inside it one by one: mvgit add ${rest
              .slice(0, 10)
              .map((r) => shellWord(`${folder}/${r}`))
              .join(' ')}${rest.length > 10 ? ' ...' : ''}`
          : '';
  return new MvgitError(
    'NESTED_ARTIFACT',
    `${subject(folder, via)} holds ${shown}, the pointer${pointers.length > 1 ? 's' : ''} of ${artifacts.length > 1 ? 'other artifacts' : `${artifacts[0]}, another artifact`}: a folder artifact cannot hold another`,
    {
      hint: `to record ${folder} as one artifact, stop tracking ${artifacts.length > 1 ? 'the inner ones' : artifacts[0]} on ${artifacts.length > 1 ? 'their' : 'its'} own first (the data stays): ${pointers.slice(0, 5).map(untrackCommand).join(' && ')}, then ${again(folder, via)}${pieces}`,
      data: { path: folder, pointers, ...(via.rule === undefined ? {} : { rule: via.rule }) },
    },
  );
}

/** Top-level entries of `folder` that neither are nor hold an inner artifact or its pointer. */
function otherEntries(repo: Repo, folder: string, inner: string[]): string[] {
  const taken = new Set<string>();
  for (const r of inner) {
    taken.add(r.split('/')[0]);
    if (!r.includes('/')) taken.add(r.slice(0, -POINTER_SUFFIX.length));
  }
  let names: string[];
  try {
    names = fs.readdirSync(absPath(repo, folder));
  } catch {
    return [];
  }
  return names.filter((n) => !taken.has(n) && n !== '.gitignore').sort();
}

/** Two paths given to one `mvgit add`, one inside the other. */
export function addedTogetherError(inner: string, outer: string): MvgitError {
  return new MvgitError(
    'NESTED_ARTIFACT',
    `${inner} is inside ${outer}, and both were given to add: an artifact cannot hold another`,
    {
      hint: `add the folder as one artifact (mvgit add ${shellWord(outer)}) or the paths inside it, not both`,
      data: { path: inner, folder: outer },
    },
  );
}

/** The first pair of paths where one is inside the other, as [inner, outer]; paths are repo paths. */
export function nestedPair(paths: string[]): [string, string] | null {
  const sorted = [...new Set(paths)].sort();
  for (let i = 0; i + 1 < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].startsWith(sorted[i]); j++) {
      if (sorted[j].startsWith(`${sorted[i]}/`)) return [sorted[j], sorted[i]];
    }
  }
  return null;
}
