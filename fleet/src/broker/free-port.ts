import { createServer } from 'node:net';

/**
 * A port that was free a moment ago on the host. Mosquitto cannot listen on port 0 and tell us which port it got,
 * so the caller picks one here and retries with a new one if another process takes it first.
 */
export function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}
