// A TCP proxy between claimflow and a server it depends on (PostgreSQL here), to take that server away for a
// while without touching the real one, which other test files share. Down means what a crashed or
// firewalled database looks like to a client: open connections are cut and new ones are refused.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** cuts every open connection and stops listening: connects get ECONNREFUSED */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
  isUp(): boolean;
  stats(): { connections: number; cut: number };
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let connections = 0;
  let cut = 0;
  let up = false;
  let server: net.Server | undefined;

  const onConnection = (client: net.Socket) => {
    connections += 1;
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        up = true;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      up = false;
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
      for (const socket of open) {
        // resetAndDestroy sends RST: the client sees ECONNRESET, like a database that went away
        if (socket.resetAndDestroy) socket.resetAndDestroy();
        else socket.destroy();
        cut += 1;
      }
      open.clear();
    });

  await listen();
  return {
    get port() {
      return port;
    },
    down: stopListening,
    up: async () => {
      if (up) return;
      // the port was just released; a client's connect in the same instant may still race us, so retry briefly
      for (let i = 0; ; i++) {
        try {
          await listen();
          return;
        } catch (err) {
          if (i > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    isUp: () => up,
    stats: () => ({ connections, cut }),
    close: stopListening,
  };
}
