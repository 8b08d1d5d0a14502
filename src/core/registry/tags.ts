/**
 * Writing the registry's tags: annotated tags in GTO's grammar with GTO's default messages, so
 * `gto show` and `gto history` read what mvgit wrote. A tag is never moved or deleted: every
 * change (a rollback too) is a new tag, and the history of who did what stays in git.
 */
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import type { RegistryState } from '../history/registry-state.js';
import { committedConfigFile, isMap, readYamlFile } from '../repo/config.js';
import { CONFIG_DIR, CONFIG_FILE, type Repo } from '../repo/repo.js';

const CONFIG = `${CONFIG_DIR}/${CONFIG_FILE}`;
const STAGE_RE = /^[a-z0-9](?:[a-z0-9\-/_]*[a-z0-9])?$/;

/** What one registry command wrote. */
export interface RegistryWrite {
  /** The tags made, in order. */
  tags: string[];
  /** The git remote the tags were pushed to, when --push was given. */
  pushedTo?: string;
}

/** The next counter for NAME: one more than the highest among NAME's tags (GTO's `#N`). */
export function nextCounter(state: RegistryState, name: string): number {
  let max = 0;
  for (const e of state.artifacts.get(name)?.events ?? []) if (e.counter !== null && e.counter > max) max = e.counter;
  return max + 1;
}

/** Makes an annotated tag on `commit`; refuses to move an existing one. */
export function createTag(repo: Repo, tag: string, commit: string, message: string): void {
  const exists = git(repo, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`], { allowFail: true }).trim();
  if (exists)
    throw new MvgitError('REGISTRY_VERSION_EXISTS', `tag ${tag} exists already`, {
      hint: `a registry tag is never moved; 'git show ${tag}' shows what it holds`,
      data: { tag },
    });
  git(repo, ['tag', '-a', '--cleanup=whitespace', '-m', message, '--', tag, commit]);
}

/**
 * Pushes tags to the git remote the current branch tracks, else `origin`, else the only one.
 * git's pre-push hook (mvgit install) uploads the objects the tags name before the tags land.
 */
export function pushTags(repo: Repo, tags: string[]): string {
  const remotes = git(repo, ['remote']).split('\n').filter(Boolean);
  const branch = git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFail: true }).trim();
  const tracked = branch ? git(repo, ['config', '--get', `branch.${branch}.remote`], { allowFail: true }).trim() : '';
  const remote = tracked && remotes.includes(tracked) ? tracked : remotes.includes('origin') ? 'origin' : remotes[0];
  if (!remote)
    throw new MvgitError('REMOTE_NOT_FOUND', 'no git remote to push the tags to', {
      hint: `add one with 'git remote add origin URL', then 'git push origin ${tags.map(quoteTag).join(' ')}'`,
      data: { tags },
    });
  git(repo, ['push', '--quiet', remote, ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`)]);
  return remote;
}

function quoteTag(tag: string): string {
  return tag.includes('#') || tag.includes('!') ? `'${tag}'` : tag;
}

/** The stages config allows (`stages:` in .mvgit/config.yaml), or null for any. */
export async function allowedStages(repo: Repo): Promise<string[] | null> {
  const raw = await readYamlFile(committedConfigFile(repo), CONFIG);
  const stages = isMap(raw) ? raw.stages : undefined;
  if (stages === undefined || stages === null) return null;
  if (!Array.isArray(stages) || stages.some((s) => typeof s !== 'string' || !STAGE_RE.test(s)))
    throw new MvgitError('CONFIG_INVALID', `${CONFIG}: 'stages' must be a list of stage names`, {
      hint: 'for example: stages: [dev, staging, prod]',
      data: { file: CONFIG },
    });
  return stages as string[];
}

/** Refuses a stage name outside GTO's rule or outside the config's list. */
export async function checkStage(repo: Repo, stage: string): Promise<void> {
  if (!STAGE_RE.test(stage))
    throw new MvgitError(
      'REGISTRY_UNKNOWN_STAGE',
      `'${stage}' is not a stage name: use lowercase letters, digits, '-', '_' and '/', starting and ending with a letter or digit`,
      { hint: 'for example: dev, staging, prod' },
    );
  const allowed = await allowedStages(repo);
  if (allowed && !allowed.includes(stage))
    throw new MvgitError('REGISTRY_STAGE_NOT_ALLOWED', `stage '${stage}' is not allowed by ${CONFIG}`, {
      hint: `allowed stages: ${allowed.join(', ')}; add it to 'stages:' in ${CONFIG} to allow it`,
      data: { stage, allowed },
    });
}

/** `0.2.0` or `v0.2.0` as the tag writes it. */
export function normalizeVersion(text: string): string {
  return /^\d/.test(text) ? `v${text}` : text;
}
