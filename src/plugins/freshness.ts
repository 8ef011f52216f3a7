import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type Freshness, freshness } from '../services/freshness'

declare module 'fastify' {
  interface FastifyInstance {
    freshness: Freshness
  }
}

export interface FreshnessPluginOptions {
  pollMs: number
  maxStaleMs: number
}

/**
 * Keeps the caches of keys and the active policy honest (services/freshness.ts): a poll of
 * the store's change marker every `pollMs`, and, on PostgreSQL, a LISTEN that reacts at once.
 */
async function freshnessPlugin(app: FastifyInstance, options: FreshnessPluginOptions) {
  const state = freshness({ read: () => app.store.changeMarker(), maxStaleMs: options.maxStaleMs })
  app.decorate('freshness', state)
  const check = () =>
    state.check().catch((err: unknown) => app.log.debug({ err }, 'freshness check failed; caches bypassed'))
  await check()
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  const loop = () => {
    timer = setTimeout(() => {
      check().finally(() => {
        if (!stopped) loop()
      })
    }, options.pollMs)
    timer.unref()
  }
  loop()
  const stopListening = app.store.onChange(() => {
    state.invalidate()
    void check()
  })
  app.addHook('onClose', async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    stopListening()
  })
}

export default fp(freshnessPlugin, { name: 'freshness', dependencies: ['store'] })
