/** What a verified token stands for, kept per instance. */
export interface VerifiedToken<P> {
  id: number;
  principal: P;
  /** Date.now() when the database last confirmed it. */
  at: number;
}

const MAX_TOKENS = 10_000;

/**
 * Tokens this instance found valid in the database, by secret hash. Trusted only while changes
 * reach the instance (the caller checks the listener); `clear` on every announced token change.
 * A lookup that overlapped a clear is not kept: it may have read a token revoked meanwhile.
 */
export class VerifiedTokens<P> {
  private readonly byHash = new Map<string, VerifiedToken<P>>();
  private generation = 0;

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): VerifiedToken<P> | undefined {
    return this.byHash.get(hash);
  }

  /** Call before the database lookup; pass the result to `remember`. */
  startLookup(): number {
    return this.generation;
  }

  remember(hash: string, token: VerifiedToken<P>, lookupGeneration: number): void {
    if (lookupGeneration !== this.generation) return;
    this.byHash.delete(hash);
    this.byHash.set(hash, token);
    if (this.byHash.size > MAX_TOKENS) this.byHash.delete(this.byHash.keys().next().value as string);
  }

  forget(hash: string): void {
    this.byHash.delete(hash);
  }

  clear(): void {
    this.generation++;
    this.byHash.clear();
  }
}
