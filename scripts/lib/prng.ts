/**
 * Seeded randomness for the demo data: sfc32 (fast, 128-bit state, passes PractRand), seeded
 * through splitmix32 so nearby seeds give unrelated streams. No dependency, and the same seed
 * gives the same sequence on every platform (pure 32-bit integer arithmetic).
 */

/** splitmix32 step: spreads a seed's bits so sfc32 never starts from a weak (e.g. all-zero) state. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(s);
      s = next;
      words.push(out);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.u32(); // warm-up: mixes the seed through the whole state
  }

  /** Next 32-bit unsigned integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in (0, 1]: safe to take the log of. */
  nextOpen(): number {
    return (this.u32() + 1) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box–Muller; the second value is dropped to keep the stream simple). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.nextOpen())) * Math.cos(2 * Math.PI * this.next());
  }
}

/** Stateless 32-bit hash of (seed, n) → [0, 1): per-day jitter computable without a stream. */
export function hashUnit(seed: number, n: number): number {
  const [, a] = splitmix32((seed | 0) ^ Math.imul(n | 0, 0x27d4eb2d));
  const [, b] = splitmix32(a);
  return b / 4294967296;
}

/** FNV-1a of a string, finished with splitmix32 → 32-bit unsigned. */
export function hashString32(text: string, salt = 0): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return splitmix32(h)[1];
}

/** A name's stable trait in [0, 1) (popularity order, failure rate): independent of any seed. */
export function nameUnit(name: string, salt = 0): number {
  return hashString32(name, salt) / 4294967296;
}

/**
 * Walker/Vose alias table: O(1) weighted sampling from a fixed distribution, one uniform per
 * draw. Used for apps, exit codes and versions, drawn millions of times.
 */
export class AliasTable<T> {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    const n = items.length;
    if (n === 0 || n !== weights.length) throw new Error("AliasTable needs one weight per item");
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw new Error("AliasTable needs a positive total weight");
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1; // leftovers are 1 up to rounding
  }

  sample(rng: Rng): T {
    const x = rng.next() * this.items.length;
    const i = Math.floor(x);
    return this.items[x - i < this.prob[i]! ? i : this.alias[i]!]!;
  }
}
