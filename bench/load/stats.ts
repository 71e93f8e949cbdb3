/** Order statistics of a sample; 0 for an empty one. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? 0 : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** A log-normal draw with the given median and 95th percentile: how LLM first-token delays are spread. */
export function logNormal(median: number, p95: number): () => number {
  const sigma = Math.log(p95 / median) / 1.645;
  return () => {
    // Box–Muller: one standard normal draw from two uniforms.
    const normal = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
    return median * Math.exp(sigma * normal);
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
