/**
 * What hook managers' committed files call, and the launcher it calls. The committed line holds
 * no machine path and runs no `npx`: it asks git for the common git dir and runs the launcher
 * that `mvgit init` / `mvgit install` wrote there, which knows where this clone's mvgit is.
 *
 * Why `git rev-parse --git-common-dir`: a relative `.git/mvgit/hook` is wrong in a linked
 * worktree (`.git` is a file there) and in a submodule, and git does not export GIT_DIR to every
 * hook. rev-parse is one small process (about 5 ms, against about 40 ms for Node's own start),
 * and it is right in all of those.
 */
import { HOOK_MARK, shQuote, type Launcher } from '../script.js';

/** The launcher's path in the common git dir. */
export const LAUNCHER_PATH = 'mvgit/hook';

/**
 * The one shell line a manager's committed hook file runs: one `if` (so it can follow `&&`),
 * the launcher when this clone has it, else one line asking for `mvgit init` where the repo uses
 * mvgit, else nothing. `args` is how the manager hands over git's arguments.
 */
export function committedLine(name: string, args = '"$@"'): string {
  const run = `sh "$mvgit_hook" ${name}${args ? ` ${args}` : ''}`;
  return `if mvgit_hook="$(git rev-parse --git-common-dir)/${LAUNCHER_PATH}" && [ -f "$mvgit_hook" ]; then ${run}; elif [ -f .mvgit/config.yaml ]; then echo "mvgit: run 'mvgit init' in this clone: until then git does not record or restore models and datasets" >&2; fi`;
}

/** True when `text` holds mvgit's committed line for hook `name` (through any manager). */
export function hasLine(text: string, name: string): boolean {
  return new RegExp(`"\\$mvgit_hook" (pre-commit-framework )?${name}[ ;]`).test(text);
}

/** The launcher: `hook NAME ARGS...`, or `hook pre-commit-framework NAME` (git's arguments in PRE_COMMIT_* variables). */
export function launcherScript(launcher: Launcher): string {
  return `#!/bin/sh
${HOOK_MARK} launcher
# Written by 'mvgit init' / 'mvgit install' for this clone; the hook lines committed in a hook
# manager's files (husky, lefthook, simple-git-hooks, pre-commit) run it.
hook=$1
shift
if [ "$hook" = pre-commit-framework ]; then
  # The pre-commit framework keeps git's arguments and stdin, and passes them as variables.
  hook=$1
  case $hook in
    post-checkout) set -- "$PRE_COMMIT_FROM_REF" "$PRE_COMMIT_TO_REF" "$PRE_COMMIT_CHECKOUT_TYPE" ;;
    post-merge) set -- "$PRE_COMMIT_IS_SQUASH_MERGE" ;;
    post-rewrite) set -- "$PRE_COMMIT_REWRITE_COMMAND" ;;
    pre-push)
      set -- "$PRE_COMMIT_REMOTE_NAME" "$PRE_COMMIT_REMOTE_URL"
      # It passes the first pushed ref only; the remote's sha is unknown when the branch is new.
      exec <<MVGIT_REFS
$PRE_COMMIT_LOCAL_BRANCH $(git rev-parse "$PRE_COMMIT_LOCAL_BRANCH") $PRE_COMMIT_REMOTE_BRANCH \${PRE_COMMIT_FROM_REF:-0000000000000000000000000000000000000000}
MVGIT_REFS
      ;;
    *) set -- ;;
  esac
fi
[ -f .mvgit/config.yaml ] || exit 0
MVGIT_NODE=${shQuote(launcher.node)}
MVGIT_CLI=${shQuote(launcher.cli)}
if [ -f "$MVGIT_CLI" ]; then
  [ -x "$MVGIT_NODE" ] && exec "$MVGIT_NODE" "$MVGIT_CLI" hook "$hook" "$@"
  command -v node >/dev/null 2>&1 && exec node "$MVGIT_CLI" hook "$hook" "$@"
fi
[ -x node_modules/.bin/mvgit ] && exec node_modules/.bin/mvgit hook "$hook" "$@"
command -v mvgit >/dev/null 2>&1 && exec mvgit hook "$hook" "$@"
echo "mvgit: the $hook hook cannot find mvgit (installed from $MVGIT_CLI, not on PATH either): reinstall it, then run 'mvgit install'" >&2
case $hook in pre-commit | pre-push) exit 1 ;; esac
exit 0
`;
}
