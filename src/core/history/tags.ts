/**
 * The tags of the repository by the commit they name, so a history listing can show which
 * versions were tagged. One `git show-ref -d`: it takes peeled oids from packed-refs, where
 * for-each-ref's `%(*objectname)` read every tag object (0.15 s of CPU at 7,000 tags).
 */
import { git } from '../../adapters/git/run.js';
import type { GitDir } from '../../adapters/git/run.js';

/** Tag names by commit oid; an annotated tag counts for the commit it points at. */
export function tagsByCommit(repo: GitDir): Map<string, string[]> {
  const text = git(repo, ['show-ref', '--tags', '--dereference'], { allowFail: true });
  // `<oid> refs/tags/NAME`, then `<peeled oid> refs/tags/NAME^{}` for an annotated tag: the peeled one wins.
  const target = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) refs\/tags\/(.+?)(\^\{\})?$/.exec(line);
    if (m && (m[3] || !target.has(m[2]))) target.set(m[2], m[1]);
  }
  const out = new Map<string, string[]>();
  for (const [name, commit] of target) out.set(commit, [...(out.get(commit) ?? []), name]);
  return out;
}
