/**
 * Named points where a test can stop or pause mvgit, so kill tests do not depend on timing:
 * `MVGIT_FAILPOINT=checkout:before-stage-rename:kill` kills the process (SIGKILL, as a crash or
 * an OOM killer would) at that point; `add:after-store:sleep=2000` pauses there for two
 * seconds, to widen a race window on purpose. Several are separated by commas. Unset (always,
 * outside tests), a failpoint costs one environment lookup.
 */

/** Stops (`:kill`) or pauses (`:sleep=MS`) here when MVGIT_FAILPOINT names this point. */
export async function failpoint(name: string): Promise<void> {
  const spec = process.env.MVGIT_FAILPOINT;
  if (!spec) return;
  for (const part of spec.split(',')) {
    const m = /^(.+):(kill|sleep=(\d+))$/.exec(part.trim());
    if (!m || m[1] !== name) continue;
    if (m[2] === 'kill') process.kill(process.pid, 'SIGKILL');
    else await new Promise((resolve) => setTimeout(resolve, Number(m[3])));
  }
}
