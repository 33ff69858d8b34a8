// MurmurHash2 (32-bit) over the UTF-8 bytes of a string, as JupyterLab's debugger computes a cell's id
// (packages/debugger/src/hash.ts, `hashMethod: "Murmur2"`): the kernel and the frontend must agree on the
// file name of every cell, so this is the same function, byte for byte.
const M = 0x5bd1e995;

/** 32-bit multiply by M, wrapping as the reference implementation does. */
function mul(x: number): number {
  return Math.imul(x, M) >>> 0;
}

export function murmur2(text: string, seed: number): number {
  const data = new TextEncoder().encode(text);
  let len = data.length;
  let h = (seed ^ len) >>> 0;
  let i = 0;
  while (len >= 4) {
    let k = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    k = mul(k);
    k = (k ^ (k >>> 24)) >>> 0;
    k = mul(k);
    h = (mul(h) ^ k) >>> 0;
    len -= 4;
    i += 4;
  }
  if (len === 3) h = (h ^ (data[i + 2]! << 16)) >>> 0;
  if (len >= 2) h = (h ^ (data[i + 1]! << 8)) >>> 0;
  if (len >= 1) h = mul((h ^ data[i]!) >>> 0);
  h = (h ^ (h >>> 13)) >>> 0;
  h = mul(h);
  h = (h ^ (h >>> 15)) >>> 0;
  return h;
}
