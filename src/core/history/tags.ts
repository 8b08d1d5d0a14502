/**
 * The tags of the repository by the commit they name, so a history listing can show which
 * versions were tagged. One `git for-each-ref` for all of them.
 */
import { git } from '../../adapters/git/run.js';
import type { Repo } from '../repo/repo.js';

/** Tag names by commit oid; an annotated tag counts for the commit it points at. */
export function tagsByCommit(repo: Repo): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const text = git(repo, ['for-each-ref', '--format=%(objectname) %(*objectname) %(refname:short)', 'refs/tags'], {
    allowFail: true,
  });
  for (const line of text.split('\n')) {
    // `<tag or commit oid> <peeled commit oid or empty> <name>`: the peeled oid wins when there is one.
    const m = /^([0-9a-f]+) ([0-9a-f]*) (.+)$/.exec(line);
    if (!m) continue;
    const commit = m[2] || m[1];
    out.set(commit, [...(out.get(commit) ?? []), m[3]]);
  }
  return out;
}
