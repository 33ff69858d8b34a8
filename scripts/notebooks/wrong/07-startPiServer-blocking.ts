// Wrong: right answers, but π is computed on the main thread, so /ping waits until it is done.
async function startPiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/ping") {
      response.end("pong");
      return;
    }
    const seed = Number(url.searchParams.get("seed"));
    const samples = Number(url.searchParams.get("samples"));
    const inside = countInside(seed, samples);
    response.end(String((4 * inside) / samples));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
