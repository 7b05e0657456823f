// Fixed-size bitsets over document numbers: AND/OR/NOT of whole result sets in a few thousand word operations.

export class Bitset {
  readonly words: Uint32Array;
  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  add(doc: number): void {
    this.words[doc >>> 5]! |= 1 << (doc & 31);
  }

  has(doc: number): boolean {
    return (this.words[doc >>> 5]! & (1 << (doc & 31))) !== 0;
  }

  and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! &= b[i] ?? 0;
    return this;
  }

  or(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! |= b[i] ?? 0;
    return this;
  }

  /** this AND NOT other */
  andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! &= ~(b[i] ?? 0);
    return this;
  }

  count(): number {
    let n = 0;
    for (let w of this.words) {
      w = w - ((w >>> 1) & 0x55555555);
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Document numbers in ascending order, skipping `offset`, at most `limit`. */
  slice(offset: number, limit: number): number[] {
    const out: number[] = [];
    let skipped = 0;
    const words = this.words;
    for (let i = 0; i < words.length && out.length < limit; i++) {
      let w = words[i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        w &= w - 1;
        if (skipped < offset) skipped++;
        else {
          out.push(i * 32 + bit);
          if (out.length >= limit) break;
        }
      }
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        w &= w - 1;
        yield i * 32 + bit;
      }
    }
  }
}
