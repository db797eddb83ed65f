/** Placeholder until the meal-round planner lands. */
export function roundBenchmark(_seed: number): string[] {
  return [];
}
