// Errors of offline work (files, snapshots) as plain data, so they cross from the worker thread intact: a code of
// the contract's envelope and a message in words. A system error (a full disk, a path that can't be written) is
// said as such, never as a stack trace.
import type { ErrorCode } from '../../preload/contract.js';
import { AppError } from '../errors.js';

export class OfflineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const IO_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission was refused',
  EPERM: 'permission was refused',
  EROFS: 'the disk is read-only',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'the path is a folder',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an error',
};

/** An error as an OfflineError: our own as they are; a system error in words, with the path it concerns. */
export function asOfflineError(err: unknown, what: string): OfflineError {
  if (err instanceof OfflineError) return err;
  if (err instanceof AppError) return new OfflineError(err.code, err.message);
  const e = err as NodeJS.ErrnoException;
  const words = e?.code ? IO_WORDS[e.code] : undefined;
  if (words) return new OfflineError('validation', `Could not write ${what}: ${words} (${e.code}).`);
  return new OfflineError('internal', `Could not write ${what}: ${e?.message ?? String(err)}`);
}
