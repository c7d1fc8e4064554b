/** Adler-32 checksums as CMS storage reports them: 8 lowercase hex digits. */
import { createReadStream } from "node:fs";

const MOD = 65521;
/** Largest block that cannot overflow the 32-bit sums before the modulo. */
const NMAX = 5552;

/** Continue an Adler-32 over `bytes` from a previous value (start: 1). */
export function adler32Update(previous: number, bytes: Uint8Array): number {
  let a = previous & 0xffff;
  let b = (previous >>> 16) & 0xffff;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + NMAX, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of a byte array or UTF-8 text as 8 lowercase hex digits. */
export function adler32(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return adler32Hex(adler32Update(1, bytes));
}

export function adler32Hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** Adler-32 of a file, streamed. */
export async function adler32File(path: string): Promise<string> {
  let value = 1;
  for await (const chunk of createReadStream(path)) value = adler32Update(value, chunk as Buffer);
  return adler32Hex(value);
}
