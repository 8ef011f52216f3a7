import { buildApp } from './app'
import { ConfigError, loadConfig } from './config'
import { tuneHeap } from './lib/heap-tuning'
import { lowerHelperThreads } from './lib/thread-priority'

/** Starts the service and stops it gracefully: in-flight requests finish, then the store closes. */
async function main() {
  tuneHeap()
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }

  const app = await buildApp({ config })
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      app.log.error('graceful shutdown timed out; exiting')
      process.exit(1)
    }, config.SHUTDOWN_TIMEOUT_MS)
    timer.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))

  await app.listen({ host: config.HOST, port: config.PORT })
  lowerHelperThreads()
}

main().catch((error: unknown) => {
  console.error('placement failed to start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
