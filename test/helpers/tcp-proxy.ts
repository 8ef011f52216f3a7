import net from 'node:net'

/**
 * A TCP proxy on loopback in front of the test PostgreSQL: `cut()` drops every connection and
 * refuses new ones, as a database outage looks to the service; `restore()` lets them through.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>()
  private readonly pairs = new Set<[net.Socket, net.Socket]>()
  private readonly stalled = new Set<[net.Socket, net.Socket]>()
  private readonly server: net.Server
  private down = false
  private blackholed = false
  private readonly held = new Set<net.Socket>()

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => {
      if (this.blackholed) {
        // Accepted and then never answered, like a host behind a firewall that drops packets.
        client.pause()
        client.on('error', () => client.destroy())
        this.held.add(client)
        client.on('close', () => this.held.delete(client))
        return
      }
      if (this.down) {
        client.destroy()
        return
      }
      const upstream = net.connect(this.targetPort, this.targetHost)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('close', () => this.sockets.delete(s))
        s.on('error', () => s.destroy())
      }
      client.pipe(upstream).pipe(client)
      const pair: [net.Socket, net.Socket] = [client, upstream]
      this.pairs.add(pair)
      client.on('close', () => {
        this.pairs.delete(pair)
        upstream.destroy()
      })
      upstream.on('close', () => client.destroy())
    })
  }

  static async start(target: URL): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432))
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve))
    return proxy
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port
  }

  /** The same URL, reaching the database through this proxy. */
  urlFor(url: string): string {
    const u = new URL(url)
    u.hostname = '127.0.0.1'
    u.port = String(this.port)
    return u.toString()
  }

  cut(): void {
    this.down = true
    this.blackholed = false
    for (const s of this.held) s.destroy()
    for (const s of this.sockets) s.destroy()
  }

  /**
   * Connections stay open but nothing gets through, and new ones are accepted and then never
   * answered: a database that has stopped answering (a blackhole).
   */
  stall(): void {
    this.blackholed = true
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream)
      upstream.unpipe(client)
      client.pause()
      upstream.pause()
      this.stalled.add([client, upstream])
    }
    this.down = true
  }

  /** The database answers again: new connections get through and stalled ones flow again. */
  restore(): void {
    this.down = false
    this.blackholed = false
    for (const s of this.held) s.destroy()
    this.held.clear()
    for (const [client, upstream] of this.stalled) {
      if (client.destroyed || upstream.destroyed) continue
      client.pipe(upstream).pipe(client)
    }
    this.stalled.clear()
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
