/**
 * The temp files of a `get` in progress (the temp repository, the temp beside OUT), so that a
 * command stopped by a signal can still leave nothing behind: the CLI calls removeGetTemps
 * from its signal handler. Each is registered while it exists and removed from here with it.
 */
const pending = new Set<() => void>();

/** Registers a clean-up; returns the function that runs it now (and unregisters it). */
export function trackTemp(remove: () => void): () => void {
  pending.add(remove);
  return () => {
    pending.delete(remove);
    remove();
  };
}

/** Removes every temp of a get in progress. */
export function removeGetTemps(): void {
  for (const remove of pending) {
    try {
      remove();
    } catch {
      // best effort: the process is stopping
    }
  }
  pending.clear();
}
