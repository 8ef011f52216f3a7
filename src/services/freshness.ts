import type { ChangeMarker } from '../store/types'

export interface FreshnessOptions {
  /** Reads the store's change marker (one cheap query). */
  read: () => Promise<ChangeMarker>
  /** Past this long without a successful check, caches are not trusted at all. */
  maxStaleMs: number
  now?: () => number
}

/**
 * Whether what this process cached of keys and the active policy may still be used. Another
 * process (a replica, the CLI) may revoke a key or activate a policy at any time; the store's
 * change marker only grows when that happens. Checked every few hundred milliseconds (and at
 * once when PostgreSQL notifies), a changed marker empties the caches; a check that has not
 * succeeded for `maxStaleMs` makes every lookup go to the database until one does. So a change
 * made anywhere is seen everywhere within `maxStaleMs`.
 */
export function freshness(options: FreshnessOptions) {
  const now = options.now ?? Date.now
  let marker: ChangeMarker | null = null
  let checkedAt = Number.NEGATIVE_INFINITY
  let generation = 0
  const listeners: (() => void)[] = []

  const invalidate = () => {
    generation++
    for (const listener of listeners) listener()
  }

  return {
    /** Whether caches may answer now. */
    trusted: () => now() - checkedAt < options.maxStaleMs,
    /** Changes with every invalidation: a load begun under another generation must not be kept. */
    generation: () => generation,
    onInvalidate(listener: () => void) {
      listeners.push(listener)
    },
    invalidate,
    /** Reads the marker; empties the caches when it moved. Rejects when the store does not answer. */
    async check(): Promise<void> {
      // The check vouches for the state as of its start, not its end.
      const started = now()
      const next = await options.read()
      if (marker && (next.revocations !== marker.revocations || next.activations !== marker.activations)) {
        invalidate()
      }
      marker = next
      checkedAt = started
    },
  }
}
export type Freshness = ReturnType<typeof freshness>
