import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** Read size for streaming: large enough that per-call overhead vanishes, small enough to stay flat. */
export const CHUNK = 4 << 20;

/** sha256 of bytes in memory, as 64 lowercase hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Streams a file through sha256 with one reusable buffer, so memory stays flat whatever the
 * file's size. Returns the hex digest and the number of bytes read.
 */
export async function hashFile(file: string, onBytes?: (n: number) => void): Promise<{ hex: string; size: number }> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
      onBytes?.(bytesRead);
    }
    return { hex: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

/** The synchronous twin of hashFile, for worker threads where blocking is the point. */
export function hashFileSync(file: string): { hex: string; size: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      size += n;
    }
    return { hex: hash.digest('hex'), size };
  } finally {
    fs.closeSync(fd);
  }
}

/** sha256 of a stream (a remote's object), chunk by chunk, so memory stays flat. */
export async function hashStream(
  stream: AsyncIterable<Uint8Array>,
  onBytes?: (n: number) => void,
): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
    onBytes?.(chunk.length);
  }
  return { hex: hash.digest('hex'), size };
}
