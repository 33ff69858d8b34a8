// Wrong: batches of `limit`, each waiting for its slowest call before the next batch starts (a batch, not a pool).
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map((item) => fn(item)))));
  }
  return results;
}
