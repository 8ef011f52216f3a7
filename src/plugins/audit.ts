import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { loadSigningKey } from '../audit-signing-key'
import type { Config } from '../config'
import { type AuditService, auditService } from '../services/audit'

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService
  }
}

// How often the schedule looks at the head; a checkpoint follows within this of being due.
const POLL_MS = 5000

/**
 * The audit service, and the schedule that signs checkpoints: every AUDIT_CHECKPOINT_EVERY
 * entries or AUDIT_CHECKPOINT_SECONDS seconds, whichever comes first, and once more on close.
 */
async function audit(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  const signing = loadSigningKey(config)
  if (signing.origin === 'ephemeral') {
    app.log.warn(
      'AUDIT_SIGNING_KEY_FILE is not set: checkpoints are signed with a key that dies with this process',
    )
  }
  const service = auditService(app.store.audit, signing.key, {
    checkpointEvery: config.AUDIT_CHECKPOINT_EVERY,
    checkpointSeconds: config.AUDIT_CHECKPOINT_SECONDS,
    retentionDays: config.AUDIT_RETENTION_DAYS ?? null,
  })
  app.decorate('audit', service)

  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      await service.checkpointIfDue()
    } catch (err) {
      app.log.warn({ err }, 'audit checkpoint failed; the next tick tries again')
    } finally {
      running = false
    }
  }
  const timer = setInterval(tick, Math.min(POLL_MS, config.AUDIT_CHECKPOINT_SECONDS * 1000))
  timer.unref()
  app.addHook('preClose', async () => {
    clearInterval(timer)
  })
}

export default fp(audit, { name: 'audit', dependencies: ['store'] })
