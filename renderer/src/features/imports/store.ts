// User imports, per tenant: the file being prepared (uploaded once, then checked by main against Auth0's import schema
// — again whenever the connection, the format or a CSV column's mapping changes), the imports that ran (kept current
// by main's import:progress events) and the one open. Every preview answer is checked against the request it
// belongs to; an older one is dropped.
import { create } from 'zustand';
import type {
  ConnectionSummary,
  ErrorEnvelope,
  ImportFailure,
  ImportFormat,
  ImportPreview,
  ImportSummary,
  Result,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { useTasksStore } from '../tasks/store';
import { uploadFile } from '../../stores/uploads';
import { saveAndTell } from '../../stores/downloads';
import { guardedWrite } from '../../stores/guard';

/** A fresh id for an import: `imp_` and 16 hex digits. */
export function newImportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `imp_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface ImportDraft {
  file: { name: string; bytes: number } | null;
  /** The file on its way to main. */
  sending: { sent: number; total: number } | null;
  uploadId: string | null;
  connectionId: string;
  /** The format chosen over the one detected (null: as detected). */
  format: ImportFormat | null;
  /** A CSV's mapping as chosen (null: the one suggested). */
  mapping: Record<string, string> | null;
  importId: string | null;
  preview: Async<ImportPreview> | null;
  previewSeq: number;
  /** A changed connection, format or mapping is being checked (the preview shown is the previous one). */
  checking: boolean;
  /** Checking a change failed: the previous preview stays, with this beside it. */
  recheckError: ErrorEnvelope | null;
  upsert: boolean;
  sendCompletionEmail: boolean;
  /** Handing the file over failed. */
  error: ErrorEnvelope | null;
}

export function freshDraft(): ImportDraft {
  return {
    file: null,
    sending: null,
    uploadId: null,
    connectionId: '',
    format: null,
    mapping: null,
    importId: null,
    preview: null,
    previewSeq: 0,
    checking: false,
    recheckError: null,
    upsert: false,
    sendCompletionEmail: false,
    error: null,
  };
}

interface ImportsState {
  drafts: Record<string, ImportDraft>;
  connections: Record<string, Async<ConnectionSummary[]>>;
  /** The import open on each tenant's screen. */
  openId: Record<string, string | null>;
  of(tenantId: string): ImportDraft;
  update(tenantId: string, patch: Partial<ImportDraft>): void;
  loadConnections(tenantId: string): Promise<void>;
  /** Hands a picked file to main and prepares it. */
  chooseFile(tenantId: string, file: File): Promise<void>;
  /** Asks main to check the file again (with a changed connection, format or mapping). */
  prepare(
    tenantId: string,
    changes?: Partial<Pick<ImportDraft, 'connectionId' | 'format' | 'mapping'>>,
  ): Promise<void>;
  /** One CSV column to another target ('' ignores it): the whole mapping is checked again. */
  remap(tenantId: string, column: string, target: string): Promise<void>;
  /** An import main started: shown, and the draft cleared. */
  started(tenantId: string, summary: ImportSummary): void;
  discard(tenantId: string): void;
  open(tenantId: string, importId: string | null): void;
  /** Reads an import's state again (an open one whose events may have been missed). */
  refresh(importId: string): Promise<ErrorEnvelope | null>;
  cancel(importId: string): Promise<ErrorEnvelope | null>;
  /** An import interrupted when Tenant Desk stopped (or paused): its sent chunks followed up, the rest sent. */
  resume(importId: string): Promise<ErrorEnvelope | null>;
  pause(importId: string): Promise<ErrorEnvelope | null>;
  /** Starts the prepared import (through the guard): its summary, or null when the user cancelled. */
  start: ReturnType<typeof guardedWrite<'imports:start'>>;
  /** A template file for the connection, saved; the error, or null. */
  template(tenantId: string, connectionId: string, format: 'csv' | 'json'): Promise<ErrorEnvelope | null>;
  /** A page of the rows Auth0 refused. */
  failures(
    importId: string,
    offset: number,
    limit: number,
  ): Promise<Result<{ items: ImportFailure[]; total: number }>>;
  /** The refused rows as CSV, saved; the error, or null. */
  exportFailures(importId: string): Promise<ErrorEnvelope | null>;
}

/** Imports are tasks: their summaries, progress and controls live in the tasks store. */
const control = async (importId: string, action: 'pause' | 'resume' | 'cancel') => {
  const r = await useTasksStore.getState().control(importId, action);
  return r.ok ? null : r.error;
};

export const useImportsStore = create<ImportsState>((set, get) => ({
  drafts: {},
  start: guardedWrite('imports:start'),
  template: async (tenantId, connectionId, format) =>
    saveAndTell(await bridge.invoke('imports:template', { tenantId, connectionId, format })),
  failures: (importId, offset, limit) => bridge.invoke('imports:failures', { importId, offset, limit }),
  exportFailures: (importId) => useTasksStore.getState().results(importId),
  connections: {},
  openId: {},
  of(tenantId) {
    return get().drafts[tenantId] ?? freshDraft();
  },
  update(tenantId, patch) {
    set((s) => ({ drafts: { ...s.drafts, [tenantId]: { ...get().of(tenantId), ...patch } } }));
  },
  async loadConnections(tenantId) {
    set((s) => ({ connections: { ...s.connections, [tenantId]: loading } }));
    const r = await bridge.invoke('connections:list', { tenantId });
    set((s) => ({ connections: { ...s.connections, [tenantId]: fromResult(r) } }));
    // The first database connection, chosen at once.
    if (r.ok && !get().of(tenantId).connectionId) {
      const first = r.data.find((c) => c.isDatabase);
      if (first) get().update(tenantId, { connectionId: first.id });
    }
  },
  async chooseFile(tenantId, file) {
    const previewSeq = get().of(tenantId).previewSeq + 1;
    get().update(tenantId, {
      file: { name: file.name, bytes: file.size },
      sending: { sent: 0, total: file.size },
      uploadId: null,
      format: null,
      mapping: null,
      importId: newImportId(),
      preview: null,
      previewSeq,
      error: null,
    });
    const up = await uploadFile(file, (sent, total) => {
      if (get().of(tenantId).previewSeq === previewSeq) get().update(tenantId, { sending: { sent, total } });
    });
    // Another file was chosen meanwhile.
    if (get().of(tenantId).previewSeq !== previewSeq) return;
    if (!up.ok) return get().update(tenantId, { sending: null, error: up.error });
    get().update(tenantId, { sending: null, uploadId: up.uploadId });
    await get().prepare(tenantId);
  },
  async prepare(tenantId, changes = {}) {
    const draft = { ...get().of(tenantId), ...changes };
    if (!draft.uploadId || !draft.file || !draft.importId) return get().update(tenantId, changes);
    if (!draft.connectionId)
      return get().update(tenantId, {
        ...changes,
        preview: {
          state: 'failed',
          error: {
            code: 'validation',
            message: 'Choose the database connection the users go to.',
            retryable: false,
          },
        },
      });
    const previewSeq = draft.previewSeq + 1;
    // The preview shown stays (marked as being checked again) while a mapping or format change is checked.
    const before = get().of(tenantId).preview;
    get().update(tenantId, {
      ...changes,
      previewSeq,
      checking: true,
      preview: before?.state === 'ready' ? before : loading,
    });
    const r = await bridge.invoke('imports:prepare', {
      tenantId,
      importId: draft.importId,
      uploadId: draft.uploadId,
      fileName: draft.file.name,
      connectionId: draft.connectionId,
      ...(draft.format ? { format: draft.format } : {}),
      ...(draft.mapping ? { mapping: draft.mapping } : {}),
    });
    if (get().of(tenantId).previewSeq !== previewSeq) return;
    const shown = get().of(tenantId).preview;
    if (!r.ok && shown?.state === 'ready')
      return get().update(tenantId, { checking: false, recheckError: r.error });
    get().update(tenantId, { preview: fromResult(r), checking: false, recheckError: null });
  },
  async remap(tenantId, column, target) {
    const draft = get().of(tenantId);
    const shown = draft.preview?.state === 'ready' ? draft.preview.data.mapping : undefined;
    const mapping = { ...(draft.mapping ?? shown ?? {}), [column]: target };
    await get().prepare(tenantId, { mapping });
  },
  started(tenantId, summary) {
    void useTasksStore.getState().refresh(summary.importId);
    set((s) => ({ openId: { ...s.openId, [tenantId]: summary.importId } }));
    // The connection stays chosen for the next file; no answer about the old file can land in the new draft.
    const { connectionId, previewSeq } = get().of(tenantId);
    get().update(tenantId, { ...freshDraft(), connectionId, previewSeq: previewSeq + 1 });
  },
  discard(tenantId) {
    get().update(tenantId, {
      ...freshDraft(),
      connectionId: get().of(tenantId).connectionId,
      previewSeq: get().of(tenantId).previewSeq + 1,
    });
  },
  open(tenantId, importId) {
    set((s) => ({ openId: { ...s.openId, [tenantId]: importId } }));
  },
  refresh: (importId) => useTasksStore.getState().refresh(importId),
  cancel: (importId) => control(importId, 'cancel'),
  resume: (importId) => control(importId, 'resume'),
  pause: (importId) => control(importId, 'pause'),
}));

export function useImportDraft(tenantId: string): ImportDraft {
  return useImportsStore((s) => s.drafts[tenantId]) ?? freshDraft();
}

/** A mapping target split for the mapping step's controls: an import field (or '' ignored), or a metadata key. */
export function splitTarget(target: string): { kind: string; key: string } {
  const m = /^(user_metadata|app_metadata)\.(.+)$/.exec(target);
  return m ? { kind: `${m[1]}.`, key: m[2]! } : { kind: target, key: '' };
}

/** A metadata key as a column name suggests it: letters, digits and _ (Auth0 refuses "." and "$" in keys). */
export function keyFromColumn(column: string): string {
  return (
    column
      .trim()
      .replace(/[.$\s]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 255) || 'value'
  );
}
