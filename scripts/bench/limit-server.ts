import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import pg from 'pg'
import { SHARED_SCHEMAS } from '../../src/schemas'

/**
 * The limits the service is measured against (`npm run bench`): the least any server could do
 * for the same request. `post`: a bare Fastify POST validating the same TypeBox descriptor and
 * answering 3 KB of JSON; `post-sqlite`/`post-pg`: that plus one prepared INSERT of a 3.5 KB
 * row (SQLite as durable as the service's: WAL, synchronous=FULL; PostgreSQL through `pg`, a
 * pool of 10); `get`: a bare GET of 3 KB of JSON. `REPLY_BYTES` in the environment: answers of
 * that many bytes instead (the bench's same-size reference). Prints `listening <url>` once ready.
 */
async function main() {
  const mode = process.argv[2] ?? 'post'
  const target = process.argv[3]
  const replyBytes = Number(process.env.REPLY_BYTES ?? 0)
  const reply = { padding: 'x'.repeat(replyBytes > 30 ? replyBytes - 24 : 3000), ok: true }
  const row = 'y'.repeat(3500)
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)

  let insert: (() => Promise<void>) | null = null
  if (mode === 'post-sqlite') {
    const db = new Database(target as string)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec(
      'CREATE TABLE IF NOT EXISTS bench (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, doc TEXT NOT NULL)',
    )
    const statement = db.prepare('INSERT INTO bench (id, created_at, doc) VALUES (?, ?, ?)')
    insert = async () => {
      statement.run(randomUUID(), Date.now(), row)
    }
  } else if (mode === 'post-pg') {
    const pool = new pg.Pool({ connectionString: target, max: 10 })
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench (id TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, doc TEXT NOT NULL)',
    )
    insert = async () => {
      await pool.query('INSERT INTO bench (id, created_at, doc) VALUES ($1, $2, $3)', [
        randomUUID(),
        new Date(),
        row,
      ])
    }
  }

  if (mode === 'get') {
    app.get('/bench/:id', async () => reply)
  } else {
    app.post('/bench', { schema: { body: { $ref: 'Descriptor#' } } }, async (_request, res) => {
      if (insert) await insert()
      return res.code(insert ? 201 : 200).send(reply)
    })
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  process.stdout.write(`listening ${url}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
