// Wrong: settles right, but the listener that did not fire stays on the emitter.
function nextEvent<T>(emitter: EventEmitter, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    emitter.once(name, resolve);
    emitter.once("error", reject);
  });
}
