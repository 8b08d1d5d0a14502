/**
 * Progress events: the core reports long work through these, and the CLI decides how to draw
 * them. Kept in the base layer so every layer can report without knowing who listens.
 */
/** Progress of long work, for the CLI to draw; the core never prints. */
export interface ProgressEvent {
  phase: 'hash' | 'store' | 'restore' | 'verify' | 'check' | 'upload' | 'download' | 'gc';
  done: number;
  total: number;
  path?: string;
  /** Bytes moved so far and in all, for transfers. */
  bytes?: number;
  totalBytes?: number;
}
export type OnProgress = (e: ProgressEvent) => void;
