import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between the browser and the API, so a test can cut every connection at once (as a network blip or
 * a restarting load balancer would) and refuse new ones for a while, without touching the API.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(target: URL): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer(client => proxy!.accept(client, target));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    proxy = new TcpProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  /** Destroys every open connection, in both directions. */
  cut(): void {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
  }

  /** While on, new connections are closed as soon as they arrive: the API looks down. */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise(resolve => this.server.close(resolve));
  }

  private accept(client: Socket, target: URL): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      this.sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => { this.sockets.delete(a); b.destroy(); });
      a.pipe(b);
    }
  }
}
