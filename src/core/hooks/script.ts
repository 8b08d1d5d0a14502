/**
 * The shell scripts `mvgit install` writes. They are POSIX sh (git runs hooks with sh on every
 * platform), find the mvgit that installed them even when it is not on PATH, run the hook that
 * was there before first, and do nothing in a repository without `.mvgit/`.
 */
import fs from 'node:fs';
import { shQuote } from '../../base/format.js';

/** The hooks mvgit installs. */
export const HOOK_NAMES = ['pre-commit', 'post-checkout', 'post-merge', 'post-rewrite', 'pre-push'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** The line that marks a file as mvgit's own, so install updates it and uninstall removes it. */
export const HOOK_MARK = '# mvgit-hook:';
/** A hook that was in place before mvgit is kept beside its own under this suffix. */
export const CHAINED_SUFFIX = '.mvgit-chained';

/** Where mvgit was when the hooks were installed: node and bin/mvgit.js, absolute. */
export interface Launcher {
  node: string;
  cli: string;
}

export { shQuote };

/** Git passes these hooks data on stdin, which both the chained hook and mvgit must see. */
const READS_STDIN: readonly HookName[] = ['pre-push', 'post-rewrite'];

/** What to say, and which exit status to give, when mvgit cannot be found. */
const WHEN_GONE: Record<HookName, { lines: string[]; status: number }> = {
  'pre-commit': {
    lines: [
      'models and datasets matching the tracking rules cannot be recorded, so the commit is stopped.',
      "Reinstall mvgit (npm install --save-dev mvgit, or npm install -g mvgit) and run 'mvgit install';",
      'or commit without recording this once: git commit --no-verify',
    ],
    status: 1,
  },
  'pre-push': {
    lines: [
      'the objects of the pushed pointers cannot be uploaded, so the push is stopped.',
      "Reinstall mvgit (npm install --save-dev mvgit, or npm install -g mvgit) and run 'mvgit install';",
      'or push without uploading this once: git push --no-verify',
    ],
    status: 1,
  },
  'post-checkout': {
    lines: ["models and datasets were not updated. Reinstall mvgit, then run 'mvgit checkout'."],
    status: 0,
  },
  'post-merge': {
    lines: ["models and datasets were not updated. Reinstall mvgit, then run 'mvgit checkout'."],
    status: 0,
  },
  'post-rewrite': {
    lines: ["models and datasets were not updated. Reinstall mvgit, then run 'mvgit checkout'."],
    status: 0,
  },
};

/** The shell lines that find mvgit and `exec` it with `args`; they fall through when it is gone. */
function findAndRun(launcher: Launcher, args: string): string {
  return `MVGIT_NODE=${shQuote(launcher.node)}
MVGIT_CLI=${shQuote(launcher.cli)}
if [ -f "$MVGIT_CLI" ]; then
  [ -x "$MVGIT_NODE" ] && exec "$MVGIT_NODE" "$MVGIT_CLI" ${args}
  command -v node >/dev/null 2>&1 && exec node "$MVGIT_CLI" ${args}
fi
[ -x node_modules/.bin/mvgit ] && exec node_modules/.bin/mvgit ${args}
command -v mvgit >/dev/null 2>&1 && exec mvgit ${args}`;
}

/**
 * The hook script. A chained hook written for sh or bash is sourced with `$0` set to this
 * hook's own path, because hook managers (husky) find their work from the name they were
 * run by; other chained hooks (Python, binaries) are simply executed.
 */
export function hookScript(name: HookName, launcher: Launcher): string {
  const gone = WHEN_GONE[name];
  const stdin = READS_STDIN.includes(name);
  const runChained = `case $(head -n 1 "$chained") in
    '#!/bin/sh' | '#!/usr/bin/env sh') MVGIT_CHAINED=$chained sh -c '. "$MVGIT_CHAINED"' "$here/$hook" "$@" ;;
    '#!/bin/bash' | '#!/usr/bin/env bash') MVGIT_CHAINED=$chained bash -c '. "$MVGIT_CHAINED"' "$here/$hook" "$@" ;;
    *) "$chained" "$@" ;;
  esac`;
  const chainedBlock = stdin
    ? `if [ -x "$chained" ]; then
  input=$(mktemp "\${TMPDIR:-/tmp}/mvgit-hook.XXXXXX") || exit 1
  cat >"$input"
  ${runChained.replace(/\n/g, '\n  ')} <"$input"
  status=$?
  exec <"$input"
  rm -f "$input"
  [ "$status" -eq 0 ] || exit "$status"
fi`
    : `if [ -x "$chained" ]; then
  ${runChained.replace(/\n/g, '\n  ')} || exit $?
fi`;
  return `#!/bin/sh
${HOOK_MARK} ${name}
# Installed by 'mvgit install'; 'mvgit uninstall' removes it. A hook that was here before is
# kept as ${name}${CHAINED_SUFFIX} and runs first; its failure stops this one.
hook=${name}
here=$(dirname "$0")
chained="$here/$hook${CHAINED_SUFFIX}"
${chainedBlock}
# Nothing to do in a repository that does not use mvgit.
[ -f .mvgit/config.yaml ] || exit 0
${findAndRun(launcher, 'hook "$hook" "$@"')}
echo "mvgit: the $hook hook cannot find mvgit (installed from $MVGIT_CLI, not on PATH either):" >&2
${gone.lines.map((l) => `echo ${shQuote(`  ${l}`)} >&2`).join('\n')}
exit ${gone.status}
`;
}

/**
 * The merge driver's script, kept in the git dir and named in `merge.mvgit.driver`. When mvgit
 * is gone it falls back to git's own text merge, so a merge still works and shows markers.
 */
export function mergeDriverScript(launcher: Launcher): string {
  return `#!/bin/sh
${HOOK_MARK} merge-driver
# Called by git as: merge-driver %O %A %B %P (see merge.mvgit.driver in .git/config).
${findAndRun(launcher, 'merge-driver "$@"')}
echo "mvgit: merge driver cannot find mvgit; merging $4 as text" >&2
exec git merge-file -L ours -L base -L theirs "$2" "$1" "$3"
`;
}

/**
 * The textconv script, kept in the git dir and named in `diff.mvgit.textconv`: git runs it with
 * one version of a pointer file and diffs what it prints. When mvgit is gone it prints the file
 * as it is, so `git diff` still works and shows the YAML.
 */
export function textconvScript(launcher: Launcher): string {
  return `#!/bin/sh
${HOOK_MARK} textconv
# Called by git as: textconv FILE (see diff.mvgit.textconv in .git/config).
${findAndRun(launcher, 'textconv "$1"')}
echo "mvgit: textconv cannot find mvgit; showing the pointer file as it is" >&2
exec cat "$1"
`;
}

/** True when `file` is a hook mvgit wrote (it carries mvgit's mark). */
export function isOurs(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').includes(`\n${HOOK_MARK} `);
  } catch {
    return false;
  }
}
