// Wrong: a bucket that never runs dry: every call passes at once.
class TokenBucket {
  constructor(readonly capacity: number, readonly perSecond: number) {}

  async take(): Promise<void> {}
}
