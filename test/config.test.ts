import { ConfigError, loadConfig } from '../src/config'

describe('configuration from the environment', () => {
  test('defaults', () => {
    expect(loadConfig({})).toEqual({
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_URL: 'file:./data/placement.db',
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: 10,
      DB_CONNECT_TIMEOUT_MS: 5000,
      DB_STATEMENT_TIMEOUT_MS: 10000,
      LIST_WINDOW: 10000,
      NAME_SEARCH_BUDGET_MS: 100,
      SHUTDOWN_TIMEOUT_MS: 10000,
      AUDIT_CHECKPOINT_EVERY: 1000,
      AUDIT_CHECKPOINT_SECONDS: 300,
      LONG_REQUEST_DEADLINE_MS: 120000,
      HTTP_HEADERS_TIMEOUT_MS: 10000,
      HTTP_REQUEST_TIMEOUT_MS: 30000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5000,
      HTTP_IDLE_TIMEOUT_MS: 30000,
      TRUST_PROXY: 'false',
      RATE_LIMIT_MAX: 600,
      RATE_LIMIT_WINDOW_MS: 60000,
      RATE_LIMIT_UNAUTHENTICATED_MAX: 300,
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: 1000,
      PRESSURE_MAX_HEAP_USED_MB: 0,
      PRESSURE_MAX_DB_WAITING: 500,
      PRESSURE_SAMPLE_INTERVAL_MS: 500,
      CACHE_POLL_MS: 250,
      CACHE_MAX_STALE_MS: 1000,
    })
  })

  test('a header timeout longer than the request timeout is refused, as Node would', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS=40000/)
  })

  test('values are converted from text', () => {
    const config = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'true', DATABASE_URL: 'postgresql://u@h/db' })
    expect(config.PORT).toBe(8080)
    expect(config.MIGRATE_ON_START).toBe(true)
  })

  test.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['DB_POOL_SIZE', '0'],
    ['MIGRATE_ON_START', 'sometimes'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://a.example/path'],
    ['TRUST_PROXY', 'everyone'],
  ])('a bad %s=%s stops the start with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`))
  })
})
