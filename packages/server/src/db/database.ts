/** What a query answers: the rows, typed by the caller. */
export interface QueryResult<Row> {
  rows: Row[];
}

/** Something that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The one seam between the server and Postgres. Two implementations run the
 * same SQL: PGlite (Postgres compiled to WASM, embedded, the `npm start`
 * default) and a real PostgreSQL server through `pg` (`DATABASE_URL`).
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `work` while holding a session-level advisory lock on one dedicated
   * connection, so that other processes wait (migrations at start).
   */
  withExclusiveLock<T>(key: number, work: () => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
