// Free TCP ports on 127.0.0.1, found by binding servers to port 0 and reading what the OS chose. All the
// servers are held open together so that the ports differ, then closed before the kernel binds them.
import { type Server, createServer } from "node:net";

export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(host));
    return servers.map((server) => {
      const address = server.address();
      if (typeof address !== "object" || address === null) throw new Error(`the OS gave no port on ${host}`);
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => resolve(server));
  });
}
