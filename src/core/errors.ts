/**
 * Every failure a user can meet is an MvgitError: a stable `code` that tests and `--json`
 * consumers match on, a message that names the file and the problem, and a hint that says
 * what to do next. The CLI maps codes to exit codes in one place (src/cli/exit.ts).
 */
export type ErrorCode =
  | 'NOT_A_GIT_REPO'
  | 'NOT_INITIALIZED'
  | 'POINTER_INVALID'
  | 'MANIFEST_INVALID'
  | 'CONFIG_INVALID'
  | 'PATH_OUTSIDE_REPO'
  | 'PATH_NOT_FOUND'
  | 'PATH_TRACKED_BY_GIT'
  | 'PATH_IS_POINTER'
  | 'UNSUPPORTED_FILE'
  | 'NOT_TRACKED'
  | 'OBJECT_MISSING'
  | 'OBJECT_CORRUPT'
  | 'STORE_BUSY'
  | 'WOULD_OVERWRITE'
  | 'LINK_FAILED'
  | 'USAGE'
  | 'REV_NOT_FOUND'
  | 'OUTPUT_EXISTS'
  | 'HOOK_CONFLICT'
  | 'REMOTE_NOT_FOUND'
  | 'REMOTE_ERROR'
  | 'REMOTE_SECRET'
  | 'TRANSFER_FAILED'
  | 'GIT_FAILED'
  | 'NOTHING_TO_COMMIT'
  | 'FILE_TOO_LARGE'
  | 'MERGE_CONFLICT'
  | 'CONFIRMATION_REQUIRED'
  | 'INTERNAL';

export interface ErrorOptions {
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class MvgitError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MvgitError';
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...(this.data ? { data: this.data } : {}) };
  }
}

/** True for an error of the given code; accepts anything a `catch` receives. */
export function isMvgitError(err: unknown, code?: ErrorCode): err is MvgitError {
  return err instanceof MvgitError && (code === undefined || err.code === code);
}

/** The errno code of a Node system error (`ENOENT`, `EXDEV`...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
