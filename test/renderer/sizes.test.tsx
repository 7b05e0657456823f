// @vitest-environment happy-dom
// Sizes in honest units, one formatter for the window ("170 bytes", "1.4 KB", "12.3 MB"); the import screen says the
// file's size that way, how many chunks (Auth0 jobs) the file goes in as — or, before main has split it, that it is
// not split yet instead of a 0 — and each chunk's size as it runs.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportPreview, ImportSummary } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { formatBytes } = await import('../../renderer/src/format');
const { useImportsStore, freshDraft } = await import('../../renderer/src/features/imports/store');
const { ImportForm } = await import('../../renderer/src/features/imports/ImportForm');
const { ImportRun } = await import('../../renderer/src/features/imports/ImportRun');

const T = 'ten_1';
const tenant = tenantProfile({ id: T });
const IMPORT_ID = 'imp_0123456789abcdef';

const preview = (over: Partial<ImportPreview> = {}): ImportPreview => ({
  importId: IMPORT_ID,
  tenantId: T,
  fileName: 'one.json',
  bytes: 170,
  format: 'json',
  connection: { id: 'con_db', name: 'Username-Password-Authentication' },
  converted: false,
  notes: [],
  rows: 1,
  valid: 1,
  errors: [],
  errorCount: 0,
  chunks: 1,
  ready: true,
  ...over,
});

function seed(p: ImportPreview) {
  useImportsStore.setState({
    drafts: {
      [T]: {
        ...freshDraft(),
        file: { name: p.fileName, bytes: p.bytes },
        uploadId: `up_${'a'.repeat(32)}`,
        importId: IMPORT_ID,
        connectionId: 'con_db',
        preview: { state: 'ready', data: p },
      },
    },
    connections: { [T]: { state: 'ready', data: [] } },
  });
}

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({
    ok: false,
    error: { code: 'not_found', message: 'No such task.', retryable: false },
  });
});
afterEach(cleanup);

describe('formatBytes', () => {
  it('writes bytes under a kilobyte, then KB, MB, GB with one decimal under 100', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(170)).toBe('170 bytes');
    expect(formatBytes(1023)).toBe('1,023 bytes');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1434)).toBe('1.4 KB');
    expect(formatBytes(500_000)).toBe('488 KB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GB');
  });

  it('never writes 1,024 of a unit: that is one of the next', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
    expect(formatBytes(1024 * 1024 * 1024 - 100)).toBe('1 GB');
    expect(formatBytes(1023.6 * 1024)).toBe('1 MB');
  });
});

describe('the import screen', () => {
  const chunks = () => screen.getByTestId('import-chunks').textContent ?? '';

  it('says a 170-byte file is 170 bytes, in one chunk, and the limit in honest units', () => {
    seed(preview());
    render(<ImportForm tenant={tenant} />);
    expect(screen.getByText(/^one\.json \(170 bytes\)$/)).toBeTruthy();
    expect(chunks()).toMatch(
      /^1 \(each one Auth0 import job of at most 488 KB — 500,000 bytes, Auth0’s limit;/,
    );
    expect(document.body.textContent).not.toMatch(/\bMB\b/);
  });

  it('says a file with problems is not split yet, instead of "0"', () => {
    seed(
      preview({
        bytes: 3 * 1024 * 1024,
        rows: 3,
        valid: 2,
        errorCount: 1,
        errors: [{ row: 2, field: 'email', message: 'Not an email address' }],
        chunks: 0,
        ready: false,
      }),
    );
    render(<ImportForm tenant={tenant} />);
    expect(screen.getByText(/^one\.json \(3 MB\)$/)).toBeTruthy();
    expect(chunks()).toMatch(/^Not split yet: the file is split once no row has a problem/);
    expect(chunks()).not.toMatch(/^0/);
  });

  it('gives each chunk of a running import its size', () => {
    const summary: ImportSummary = {
      importId: IMPORT_ID,
      tenantId: T,
      tenantDomain: tenant.domain,
      fileName: 'many.json',
      format: 'json',
      connectionId: 'con_db',
      connectionName: 'Username-Password-Authentication',
      upsert: false,
      sendCompletionEmail: false,
      createdAt: '2026-11-24T00:00:00.000Z',
      status: 'running',
      rows: 3000,
      chunks: [
        { index: 0, firstRow: 1, lastRow: 2000, rows: 2000, bytes: 499_800, state: 'processing' },
        { index: 1, firstRow: 2001, lastRow: 3000, rows: 1000, bytes: 1434, state: 'waiting' },
      ],
      counts: { inserted: 0, updated: 0, failed: 0, total: 0 },
    } as ImportSummary;
    render(<ImportRun tenant={tenant} summary={summary} />);
    const rows = screen.getAllByRole('row').map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('Size');
    expect(rows[1]).toContain('488 KB');
    expect(rows[2]).toContain('1.4 KB');
  });
});
