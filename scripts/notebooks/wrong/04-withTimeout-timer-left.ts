// Wrong: right results, but the timer stays pending after the promise won.
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const limit = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms));
  return Promise.race([promise, limit]);
}
