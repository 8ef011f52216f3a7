import { readFileSync } from 'node:fs'

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) by where the time went: the project's own
 * folders, each npm package, Node's internals, garbage collection and idle time. Usage:
 * `tsx scripts/bench/profile-summary.ts <file.cpuprofile>`. Used for BENCHMARKS.md.
 *
 * Given a sampling heap profile (`.heapprofile`, from allocation-sampler.ts) and the number of
 * requests answered while it sampled, it lists the functions that allocated most, per request.
 */
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string }
  hitCount?: number
}

function bucket(node: ProfileNode): string {
  const { url, functionName } = node.callFrame
  if (functionName === '(idle)') return '(idle)'
  if (functionName === '(garbage collector)') return '(garbage collector)'
  if (functionName === '(program)') return '(program: native, outside JS)'
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return modules[1] as string
  const own = /\/src\/(generated|[^/]+)\//.exec(url)
  if (own) return own[1] === 'generated' ? '@prisma/client (generated)' : `src/${own[1]}`
  if (url.startsWith('node:') || url === '') return 'node (runtime, I/O, http)'
  return url
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children?: HeapNode[]
}

/** Bytes allocated by each function (self), most first, per request. */
function summariseAllocations(head: HeapNode, requests: number): void {
  const bytes = new Map<string, number>()
  let total = 0
  const walk = (node: HeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url.replace(/.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}`
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize)
    total += node.selfSize
    for (const child of node.children ?? []) walk(child)
  }
  walk(head)
  const kb = (n: number) => (n / requests / 1024).toFixed(1).padStart(7)
  process.stdout.write(`allocated per request: ${kb(total)} KB (garbage included; ${requests} requests)\n`)
  for (const [key, size] of [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    process.stdout.write(`${kb(size)} KB  ${((size / total) * 100).toFixed(1).padStart(5)} %  ${key}\n`)
  }
}

if ((process.argv[2] as string).endsWith('.heapprofile')) {
  const { head } = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as { head: HeapNode }
  summariseAllocations(head, Number(process.argv[3] ?? 1))
  process.exit(0)
}

const profile = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const totals = new Map<string, number>()
for (const id of profile.samples) {
  const node = byId.get(id)
  if (!node) continue
  const key = bucket(node)
  totals.set(key, (totals.get(key) ?? 0) + 1)
}
const busy = [...totals.entries()].filter(([k]) => k !== '(idle)').reduce((sum, [, v]) => sum + v, 0)
process.stdout.write(`self time by where it was spent (share of non-idle samples; ${busy} samples)\n`)
for (const [key, count] of [...totals.entries()]
  .filter(([k]) => k !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15)) {
  process.stdout.write(`${((count / busy) * 100).toFixed(1).padStart(5)} %  ${key}\n`)
}
