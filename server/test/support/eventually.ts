/**
 * Retries `check` until it stops throwing: for what reaches another connection or instance
 * asynchronously (notifications). Returns how long it took, for tests that print latencies;
 * it never fails on timing unless nothing happened within `timeoutMs`.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    try {
      return { value: await check(), ms: performance.now() - start };
    } catch (error) {
      if (performance.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
