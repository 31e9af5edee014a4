import type { Pool } from "pg";

/**
 * Schema statements, applied in order on every start. Each must be idempotent (`IF NOT EXISTS`),
 * because every replica runs them and restarts run them again.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS items (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
     data jsonb NOT NULL DEFAULT '{}'::jsonb,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
];

/** Arbitrary constant key of the advisory lock that serialises migrations across replicas. */
export const MIGRATION_LOCK_KEY = 748_293_001;

/**
 * Applies {@link MIGRATIONS} in one transaction.
 *
 * `CREATE TABLE IF NOT EXISTS` alone is not safe when two replicas start at once (both can pass the
 * existence check and one fails on the catalog's unique index), so a transaction-scoped advisory
 * lock makes the second replica wait and then find the table.
 */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    for (const statement of MIGRATIONS) await client.query(statement);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
