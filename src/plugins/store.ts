import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Store } from '../store/types'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

/** Exposes the opened store to routes and closes it after the server has stopped accepting work. */
async function storePlugin(app: FastifyInstance, opts: { store: Store }) {
  app.decorate('store', opts.store)
  app.addHook('onClose', async () => {
    await opts.store.close()
  })
}

export default fp(storePlugin, { name: 'store' })
