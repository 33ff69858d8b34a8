// Wrong: crawls right and rejects with the first error, but leaves the other fetches running.
async function crawl(start: string, fetchPage: (url: string, signal: AbortSignal) => Promise<string[]>): Promise<string[]> {
  const seen = new Set<string>([start]);
  const never = new AbortController().signal;
  async function visit(url: string): Promise<void> {
    const links = await fetchPage(url, never);
    const fresh = links.filter((link) => !seen.has(link));
    for (const link of fresh) seen.add(link);
    await Promise.all(fresh.map((link) => visit(link)));
  }
  await visit(start);
  return [...seen].sort();
}
