/**
 * The little SQL the migration runner and health checks need, over either PGlite or a
 * PostgreSQL client: one connection, so session-level locks and transactions hold.
 */
export interface SqlConnection {
  /** Runs one or more statements without parameters (a migration file). */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}
