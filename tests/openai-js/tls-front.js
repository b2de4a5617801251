// OpenAI's Realtime WebSocket clients only open wss: URLs (openai/realtime/ws builds the URL from the base URL and
// sets its protocol to wss), and `hearsay serve` speaks plain HTTP on loopback. The Realtime tests therefore put a
// TLS terminator in front of the server: a throwaway self-signed certificate for 127.0.0.1 made with openssl, and a
// TCP relay that forwards each decrypted connection to the server unchanged.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

/** Starts a TLS relay to `serverUrl` (http://127.0.0.1:PORT). Resolves to its https URL, the certificate, and stop(). */
export async function startTlsFront(serverUrl) {
  const folder = await mkdtemp(path.join(tmpdir(), 'hearsay-tls-'));
  try {
    const keyFile = path.join(folder, 'key.pem');
    const certFile = path.join(folder, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'pipe' });
    const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
    const target = new URL(serverUrl);
    const sockets = new Set();
    const server = tls.createServer({ key, cert }, (client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `https://127.0.0.1:${server.address().port}`,
      cert,
      async stop() {
        for (const socket of sockets) {
          socket.destroy();
        }
        await new Promise((resolve) => server.close(resolve));
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
