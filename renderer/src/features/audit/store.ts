// The audit log as the window reads it: every write Tenant Desk made (newest first, filtered), and its CSV export.
import { create } from 'zustand';
import type { AuditEntry, ChannelInput, ErrorEnvelope, Result } from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { saveAndTell } from '../../stores/downloads';

export type AuditFilters = Omit<ChannelInput<'audit:list'>, 'limit'>;

/** How many entries the screen shows at most. */
export const AUDIT_LIMIT = 500;

interface AuditState {
  list(filters: AuditFilters): Promise<Result<AuditEntry[]>>;
  /** The entries the filters match, as CSV (safe from spreadsheet formulas), saved; the error, or null. */
  exportCsv(filters: AuditFilters): Promise<ErrorEnvelope | null>;
}

export const useAuditStore = create<AuditState>(() => ({
  list: (filters) => bridge.invoke('audit:list', { ...filters, limit: AUDIT_LIMIT }),
  exportCsv: async (filters) => saveAndTell(await bridge.invoke('audit:export-csv', filters)),
}));
