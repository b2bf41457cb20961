import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll } from 'vitest';
import { describeDataPlane } from '../testing/describe-data-plane.js';

// One PGlite and one fresh server database for the whole file: each costs seconds to start.
describeDataPlane('@memgate/postgres on PGlite', async () => createPostgresMemoryProvider({ name: 'pglite', connectionString: 'pglite://memory' }));

let database: TestDatabase | undefined;
afterAll(async () => database?.drop());
describeDataPlane('@memgate/postgres on the PostgreSQL server', async () => {
  database = await createTestDatabase({ prefix: 'memgate_gateway' });
  return createPostgresMemoryProvider({ name: 'server', connectionString: database.url });
});
