import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../src/app'
import { loadConfig } from '../src/config'

/**
 * Writes openapi.yaml from the route schemas of the real app (`npm run openapi`), or with
 * --check fails when the committed file differs from what the code generates.
 */
export async function generateOpenApi(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'placement-openapi-'))
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, 'openapi.db')}`, LOG_LEVEL: 'silent' })
  const app = await buildApp({ config })
  try {
    await app.ready()
    return app.swagger({ yaml: true })
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const FILE = path.resolve(__dirname, '..', 'openapi.yaml')

async function main() {
  const generated = await generateOpenApi()
  if (process.argv.includes('--check')) {
    let committed = ''
    try {
      committed = readFileSync(FILE, 'utf8')
    } catch {}
    if (committed !== generated) {
      console.error('openapi.yaml is stale: run `npm run openapi` and commit the result.')
      process.exit(1)
    }
    console.log('openapi.yaml matches the route schemas.')
    return
  }
  writeFileSync(FILE, generated)
  console.log(`wrote ${FILE}`)
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
