import net from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import turnEndWrites from '../../src/plugins/turn-end-writes'
import { createTestApp } from '../helpers/app'

/**
 * Answers ready in one turn's I/O are written together at its end (turn-end-writes.ts). What is
 * observed: when each handler ran and when each answer was handed to Node (`res.end`), for
 * requests that arrive in one turn (on connections of their own, one I/O callback each).
 */
async function appWith(plugin: boolean, events: string[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  if (plugin) await app.register(turnEndWrites)
  app.addHook('onRequest', (request, reply, done) => {
    const end = reply.raw.end.bind(reply.raw) as (...args: unknown[]) => unknown
    reply.raw.end = ((...args: unknown[]) => {
      events.push(`answer ${request.url}`)
      return end(...args)
    }) as typeof reply.raw.end
    done()
  })
  app.get('/now/:name', async (request) => {
    events.push(`handled ${request.url}`)
    return { ok: true }
  })
  // Fails as its answer is written (Node refuses the header), after the onSend hooks.
  app.get('/bad-header', async (request, reply) => {
    events.push(`handled ${request.url}`)
    reply.header('x-bad', 'a\u0000b')
    return { ok: true }
  })
  // Ready only in the turn's setImmediate phase, as a group commit's answers are on SQLite.
  app.get('/after-commit', async (request) => {
    await new Promise((resolve) => setImmediate(resolve))
    events.push(`handled ${request.url}`)
    setImmediate(() => events.push('next turn'))
    return { ok: true }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return app
}

/**
 * Each request on a connection of its own, all written in one turn of this process: the server
 * finds them readable together and reads them in one turn, one I/O callback each. Resolves with
 * the answers once all have arrived, and a turn later (for anything queued for the next turn).
 */
async function together(app: FastifyInstance, paths: string[]): Promise<string[]> {
  const { port } = app.server.address() as net.AddressInfo
  // Accepted by the server, and reading, before anything is written: a connection accepted in
  // the same turn as another's request would be read a turn later.
  let accepted = 0
  const allAccepted = new Promise<void>((resolve) => {
    const onConnection = () => {
      accepted += 1
      if (accepted === paths.length) {
        app.server.off('connection', onConnection)
        resolve()
      }
    }
    app.server.on('connection', onConnection)
  })
  const sockets = await Promise.all(
    paths.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket))
          socket.on('error', reject)
        }),
    ),
  )
  await allAccepted
  await new Promise((resolve) => setImmediate(resolve))
  const answers = sockets.map(
    (socket) =>
      new Promise<string>((resolve) => {
        let text = ''
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1')
          // A JSON body's end, or a chunked one's.
          if (text.endsWith('}') || text.endsWith('\r\n0\r\n\r\n')) {
            socket.destroy()
            resolve(text)
          }
        })
      }),
  )
  for (const [i, socket] of sockets.entries()) socket.write(`GET ${paths[i]} HTTP/1.1\r\nHost: x\r\n\r\n`)
  const texts = await Promise.all(answers)
  await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setImmediate(resolve))
  return texts
}

/** An app with or without the plugin, the requests sent together, the app closed: what happened. */
async function served(plugin: boolean, paths: string[]): Promise<{ events: string[]; texts: string[] }> {
  const events: string[] = []
  const app = await appWith(plugin, events)
  try {
    return { events, texts: await together(app, paths) }
  } finally {
    await app.close()
  }
}

describe('answers written at the end of the turn', () => {
  test.each([
    [
      'held until the turn has read its requests, then written together',
      true,
      [
        'handled /now/a',
        'handled /now/b',
        'handled /now/c',
        'answer /now/a',
        'answer /now/b',
        'answer /now/c',
      ],
    ],
    [
      'without it (what it replaces): each written as soon as it is ready',
      false,
      [
        'handled /now/a',
        'answer /now/a',
        'handled /now/b',
        'answer /now/b',
        'handled /now/c',
        'answer /now/c',
      ],
    ],
  ])('requests read in one turn: %s', async (_what, plugin, expected) => {
    const { events, texts } = await served(plugin, ['/now/a', '/now/b', '/now/c'])
    expect(texts.every((t) => t.startsWith('HTTP/1.1 200') && t.endsWith('{"ok":true}'))).toBe(true)
    expect(events).toEqual(expected)
  })

  test('an answer ready after the flush (a commit in the setImmediate phase) goes at once, not a turn later', async () => {
    const { events } = await served(true, ['/now/a', '/after-commit'])
    expect(events).toEqual([
      'handled /now/a',
      'answer /now/a',
      'handled /after-commit',
      'answer /after-commit',
      'next turn',
    ])
  })

  test('the service answers this way', async () => {
    const t = await createTestApp()
    try {
      expect(t.app.hasPlugin('turn-end-writes')).toBe(true)
    } finally {
      await t.close()
    }
  })

  test('an answer held that fails as it is written is an error answer, and its neighbour is answered', async () => {
    const [bad, good] = (await served(true, ['/bad-header', '/now/b'])).texts
    expect(bad).toMatch(/^HTTP\/1\.1 500 /)
    expect(good).toMatch(/^HTTP\/1\.1 200 /)
  }, 5000)
})
