// Wrong: right total, but one worker at a time.
async function insideParallel(seeds: number[], samplesEach: number): Promise<number> {
  let total = 0;
  for (const seed of seeds) total += await countInsideInWorker(seed, samplesEach);
  return total;
}
