/**
 * Runs `fn` over `items`, at most `limit` at a time, in the items' order. The one bounded
 * pool of async work (the transfer queue and the S3 existence checks build on it); a failure
 * of `fn` rejects the whole run, so callers that want per-item failures catch inside `fn`.
 */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
