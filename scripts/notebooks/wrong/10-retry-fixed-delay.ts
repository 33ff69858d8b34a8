// Wrong: retries, but always waits the same time: no exponential backoff.
async function retry<T>(fn: () => Promise<T>, attempts: number, baseMs: number, random: () => number = Math.random): Promise<T> {
  let lastError: unknown = new Error("no attempts made");
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (attempt < attempts) await delay(random() * baseMs);
    }
  }
  throw lastError;
}
