import { Prisma as PostgresPrisma } from '../../src/generated/postgres/client'
import { Prisma as SqlitePrisma } from '../../src/generated/sqlite/client'
import { ASSESSMENT_COLUMNS, AUDIT_ENTRY_COLUMNS, OVERRIDE_COLUMNS } from '../../src/store/fast-reads'

/**
 * The hot reads name their columns by hand; the models (prisma/models.prisma, through both
 * generated clients) are the source of truth. A field added there and not here fails this.
 */
describe('the driver reads and writes keep in step with the models', () => {
  test.each([
    ['SQLite', SqlitePrisma],
    ['PostgreSQL', PostgresPrisma],
  ])('%s: assessments, overrides and audit-log entries', (_store, prisma) => {
    expect([...ASSESSMENT_COLUMNS].sort()).toEqual(Object.values(prisma.AssessmentScalarFieldEnum).sort())
    expect([...OVERRIDE_COLUMNS].sort()).toEqual(Object.values(prisma.OverrideScalarFieldEnum).sort())
    expect([...AUDIT_ENTRY_COLUMNS].sort()).toEqual(Object.values(prisma.AuditEntryScalarFieldEnum).sort())
  })
})
