// Reading line-oriented files (JSONL journals and logs) without loading them whole.
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Lines from the end of the file to its start, read in chunks. A torn last line is returned like any other. */
export function* linesBackward(file: string, chunkBytes = 64 * 1024): Generator<string> {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  try {
    let position = fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    const buffer = Buffer.alloc(chunkBytes);
    while (position > 0) {
      const size = Math.min(chunkBytes, position);
      position -= size;
      readSync(fd, buffer, 0, size, position);
      let data = Buffer.concat([buffer.subarray(0, size), carry]);
      // Everything after the first newline in this chunk is made of whole lines; the head may continue earlier.
      let end = data.length;
      for (let i = data.length - 1; i >= 0; i--) {
        if (data[i] !== 0x0a) continue;
        if (i + 1 < end) yield data.subarray(i + 1, end).toString('utf8');
        end = i;
      }
      data = data.subarray(0, end);
      carry = Buffer.from(data);
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Lines from the start, streamed. */
export async function* linesForward(file: string): AsyncGenerator<string> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield line;
}
