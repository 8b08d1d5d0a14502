/**
 * "Did you mean" for mistyped commands and options: the closest known word by edit distance,
 * when it is close enough to be what the user meant.
 */

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbours
 * (optimal string alignment): `stauts` is one step from `status`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known word closest to `typed`, or undefined when none is near: at most a third of the
 * word may differ, and a word of one or two letters (`-z`) is too short to guess from.
 * @example suggest('stauts', ['status', 'add']) // 'status'
 */
export function suggest(typed: string, known: readonly string[]): string | undefined {
  if (typed.length < 3) return undefined;
  const limit = Math.floor(typed.length / 3);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(typed.toLowerCase(), k.toLowerCase());
    if (dist <= limit && dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}
