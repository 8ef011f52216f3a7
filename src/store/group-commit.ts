interface Pending<T> {
  item: T
  resolve: () => void
  reject: (error: unknown) => void
}

export interface GroupCommitOptions<T> {
  /** Writes all items in one transaction: all commit or none. */
  writeMany: (items: T[]) => Promise<void>
  /** Writes one item; used to give each item its own outcome when a batch fails. */
  writeOne: (item: T) => Promise<void>
  maxBatch?: number
  /**
   * Whether a failed batch's items are worth retrying one by one. Not when the database has
   * stopped answering: each retry would wait out its own timeout, so a caller would wait many
   * timeouts, not one. Then the batch and everything queued behind it fail at once.
   */
  retryAlone?: (error: unknown) => boolean
  /** Told the size of each batch as it is written (for metrics). */
  onBatch?: (size: number) => void
  /**
   * Batches in flight at once (default 1). PostgreSQL: 2, so that one batch is prepared and sent
   * while the one before waits for its commit; the log's head row lock still orders them, and
   * each caller is answered after its own batch commits. SQLite: 1 (one writer).
   */
  concurrency?: number
}

/**
 * Group commit: items that arrive while a write is in flight are written together in the
 * next transaction. A Prisma write costs about a millisecond of CPU whatever its size, so
 * under load this turns N round trips into one, while every caller is still answered only
 * after its own row has committed. Batches are taken in arrival order; `concurrency` of them may
 * be in flight at once.
 */
export class GroupCommit<T> {
  private readonly queue: Pending<T>[] = []
  private readonly drains = new Set<Promise<void>>()
  private readonly maxBatch: number
  private readonly concurrency: number

  constructor(private readonly options: GroupCommitOptions<T>) {
    this.maxBatch = options.maxBatch ?? 200
    this.concurrency = options.concurrency ?? 1
  }

  /** Items waiting for a batch. */
  get queued(): number {
    return this.queue.length
  }

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (this.drains.size < this.concurrency) {
        const drain: Promise<void> = this.drain().finally(() => this.drains.delete(drain))
        this.drains.add(drain)
      }
    })
  }

  /** Resolves when everything submitted so far has been written (or has failed). */
  async flushed(): Promise<void> {
    while (this.drains.size > 0) await Promise.all([...this.drains])
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Let the event loop turn once before taking a batch. A synchronous driver (SQLite)
      // finishes a write without ever yielding to I/O, so without this turn no other request
      // could join the queue and every batch would hold one row.
      await new Promise<void>((resolve) => setImmediate(resolve))
      const batch = this.queue.splice(0, this.maxBatch)
      // Another drain took them meanwhile.
      if (batch.length === 0) return
      this.options.onBatch?.(batch.length)
      try {
        if (batch.length === 1) await this.options.writeOne((batch[0] as Pending<T>).item)
        else await this.options.writeMany(batch.map((p) => p.item))
        for (const p of batch) p.resolve()
      } catch (error) {
        if (this.options.retryAlone && !this.options.retryAlone(error)) {
          for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error)
          continue
        }
        if (batch.length === 1) {
          ;(batch[0] as Pending<T>).reject(error)
          continue
        }
        // The transaction rolled back as a whole. One bad row (a racing idempotency key, say)
        // must not fail its neighbours, so each is retried alone and gets its own outcome.
        for (const p of batch) {
          try {
            await this.options.writeOne(p.item)
            p.resolve()
          } catch (oneError) {
            p.reject(oneError)
          }
        }
      }
    }
  }
}
