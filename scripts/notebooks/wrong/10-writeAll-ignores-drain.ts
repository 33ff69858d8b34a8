// Wrong: every chunk arrives, but write()'s "please wait" is ignored, so all of them pile up in the buffer.
async function writeAll<T>(stream: Writable, chunks: Iterable<T>): Promise<void> {
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await once(stream, "finish");
}
