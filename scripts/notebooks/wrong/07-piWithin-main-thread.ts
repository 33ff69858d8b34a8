// Wrong: right numbers, but the darts are thrown on the main thread, which blocks the loop.
async function piWithin(ms: number, batch: number): Promise<{ estimate: number; darts: number }> {
  const deadline = performance.now() + ms;
  const cores = os.availableParallelism();
  let seed = 0;
  let inside = 0;
  let darts = 0;
  while (performance.now() < deadline) {
    for (let core = 0; core < cores; core++) inside += countInside(++seed, batch);
    darts += cores * batch;
  }
  return { estimate: (4 * inside) / darts, darts };
}
