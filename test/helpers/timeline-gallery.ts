// Five teaching timelines (issue 16) that the UI suites draw and save as screenshots for a reviewer: a gather, a
// semaphore, a blocked loop, fetches from a local server, worker jobs. Each names the header figure its lesson is
// about, as the learner reads it in the page.

export interface GalleryCell {
  name: string;
  code: string;
  shows: RegExp;
}

export const TIMELINE_GALLERY: GalleryCell[] = [
  {
    name: "gather",
    code: "async function work(i: number) { await sleep(200); return i; }\nawait Promise.all([work(1), work(2), work(3)]);",
    shows: /peak concurrency 3/,
  },
  {
    name: "semaphore",
    code: `class Semaphore {
  private q: (() => void)[] = [];
  constructor(private n: number) {}
  async acquire() { if (this.n > 0) { this.n--; return; } await new Promise<void>((r) => this.q.push(r)); }
  release() { const next = this.q.shift(); if (next) next(); else this.n++; }
}
const sem = new Semaphore(2);
async function job(i: number) { await sem.acquire(); try { await sleep(100); return i; } finally { sem.release(); } }
await Promise.all(Array.from({ length: 6 }, (_, i) => job(i)));`,
    shows: /peak concurrency 2/,
  },
  {
    name: "blocked-loop",
    code: "setTimeout(() => {}, 10);\nconst end = Date.now() + 300;\nwhile (Date.now() < end) {}\nawait sleep(20);",
    shows: /main thread blocked/,
  },
  {
    name: "fetch",
    code: `const http = require("node:http");
const server = http.createServer((req: { url: string }, res: { end(s: string): void }) => res.end("ok " + req.url));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const port: number = server.address().port;
const bodies = await Promise.all([1, 2, 3, 4, 5].map((i) => fetch(\`http://127.0.0.1:\${port}/item/\${i}\`).then((r) => r.text())));
server.close();
bodies.length`,
    shows: /Promise\.all \[5\]/,
  },
  {
    name: "workers",
    code: "function spin(ms: number) { const t = Date.now(); while (Date.now() - t < ms) {} return ms; }\nawait Promise.all([runInWorker(spin, 300), runInWorker(spin, 300)]);",
    shows: /on a worker/,
  },
];
