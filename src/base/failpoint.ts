/**
 * Test hooks that widen a race window on purpose, so a test of two processes racing can be
 * deterministic: `MVGIT_FAILPOINT=add:after-store:sleep=2000` pauses add for two seconds
 * after it has stored its objects and before it writes the pointer. Several are separated by
 * commas. Unset (always, outside tests), a failpoint costs one environment lookup.
 */

/** Pauses here when MVGIT_FAILPOINT names this point with `:sleep=MS`. */
export async function failpoint(name: string): Promise<void> {
  const spec = process.env.MVGIT_FAILPOINT;
  if (!spec) return;
  for (const part of spec.split(',')) {
    const m = /^(.+):sleep=(\d+)$/.exec(part.trim());
    if (m && m[1] === name) await new Promise((resolve) => setTimeout(resolve, Number(m[2])));
  }
}
