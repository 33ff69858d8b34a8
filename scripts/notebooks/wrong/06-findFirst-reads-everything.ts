// Wrong: right answers for a file, but it reads every line before answering (and never ends on an endless source).
async function findFirst(lines: AsyncIterable<string>, needle: string): Promise<number> {
  const all: string[] = [];
  for await (const line of lines) {
    all.push(line);
    if (all.length > 100_000) break;
  }
  const index = all.findIndex((line) => line.includes(needle));
  return index === -1 ? -1 : index + 1;
}
