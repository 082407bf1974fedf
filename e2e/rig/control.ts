import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the runner lets test processes do to the server it owns. */
export interface ControlHandlers {
  restart(): Promise<{ pid: number }>;
  pid(): number;
}

/**
 * A loopback HTTP endpoint in the runner process. Test files run in child processes and cannot
 * hold the server's process handle, so a restart is asked of the process that owns it.
 */
export async function startControlServer(handlers: ControlHandlers): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/pid') return reply(200, { pid: handlers.pid() });
    if (req.method === 'POST' && req.url === '/restart') {
      handlers.restart().then(
        (result) => reply(200, result),
        (err: Error) => reply(500, { error: err.message }),
      );
      return;
    }
    reply(404, { error: `no control action ${req.method} ${req.url}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function call<T>(controlUrl: string, method: string, path: string): Promise<T> {
  const res = await fetch(`${controlUrl}${path}`, { method });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`control ${method} ${path}: ${body.error ?? res.status}`);
  return body;
}

export const controlClient = (controlUrl: string) => ({
  restart: () => call<{ pid: number }>(controlUrl, 'POST', '/restart'),
  pid: async () => (await call<{ pid: number }>(controlUrl, 'GET', '/pid')).pid,
});
