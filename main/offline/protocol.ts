// Messages between main and the offline worker.
export interface WorkerRequest {
  id: number;
  method: string;
  args: unknown;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: unknown };
