import net from 'node:net';

/**
 * Takes a TCP port and holds it until `release()`: a process that starts several parts before it
 * listens (broker, store, devices) takes its HTTP port first, so a second start on a port in use
 * stops there, before it opens and writes into the first one's database. Rejects with Node's
 * listen error (`code` EADDRINUSE, EACCES …; `port`). Port 0 (any free port) holds nothing.
 */
export async function holdPort(port: number, host: string): Promise<{ release(): Promise<void> }> {
  if (port === 0) return { release: async () => {} };
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve());
    // A start that fails after this does not stay alive for the port's sake.
    server.unref();
  });
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
