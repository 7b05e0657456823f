// The window's own channels: app info, preferences, the keychain's status, and files handed over both ways.
import { z } from 'zod';
import { uploadIdSchema } from './shared.js';

export interface KeychainStatus {
  available: boolean;
  /** A message for people: what is wrong and how to fix it, when not available. */
  message: string | null;
  /**
   * Tenants whose secret should be in the keychain and is not (checked at start: one kept by an earlier version's
   * keychain library that could not be moved, or removed from the keychain by hand): set each one's secret again.
   */
  missingSecrets?: { id: string; label: string; domain: string }[];
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser' | 'cli';
  dataDir: string;
  firstRun: boolean;
}

/** A file main has written for the user (an export): saved through the host's own save dialog or download. */
export interface DownloadRef {
  id: string;
  filename: string;
  bytes: number;
}

export const appChannels = {
  'app:info': { input: z.object({}).strict(), output: {} as AppInfo },
  /** The window's preferences (table layouts per tenant, theme, density, panel width), kept in the data dir. */
  'prefs:get': { input: z.object({}).strict(), output: {} as Record<string, unknown> },
  'prefs:set': {
    input: z
      .object({
        key: z.string().regex(/^[\w:.-]{1,200}$/, 'A preference name is letters, digits and : . _ -'),
        // null removes it; a value is any JSON up to 16 KiB.
        value: z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= 16 * 1024, {
          message: 'A preference is any JSON value up to 16 KiB',
        }),
      })
      .strict(),
    output: {} as { saved: true },
  },
  'keychain:status': { input: z.object({}).strict(), output: {} as KeychainStatus },
  /** A file from the window, in pieces (base64, at most 3 MB of file each), written to the data dir. */
  'uploads:begin': {
    input: z
      .object({
        name: z.string().trim().min(1).max(260),
        bytes: z
          .number()
          .int()
          .min(1)
          .max(8 * 1024 ** 3),
      })
      .strict(),
    output: {} as { uploadId: string },
  },
  'uploads:chunk': {
    input: z
      .object({
        uploadId: uploadIdSchema,
        offset: z.number().int().min(0),
        data: z
          .string()
          .max(4 * 1024 * 1024 + 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64'),
      })
      .strict(),
    output: {} as { received: number },
  },
  'uploads:finish': {
    input: z.object({ uploadId: uploadIdSchema }).strict(),
    output: {} as { uploadId: string; bytes: number },
  },
  /** Electron: the native save dialog. Browser host: a one-time URL the page opens as a download. */
  'downloads:save': {
    input: z.object({ id: z.string().regex(/^dl_[0-9a-f]{32}$/) }).strict(),
    output: {} as { saved: true; path: string } | { saved: false } | { url: string },
  },
} as const;
