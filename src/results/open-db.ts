/**
 * Opening the results database: recognise it (or an empty file) before anything is
 * written, refuse a foreign or damaged file without touching it, then switch to WAL and
 * migrate inside one write transaction.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { applyMigrations, SCHEMA_VERSION } from "./migrations.js";
import { APPLICATION_ID } from "./schema.js";

export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

const SQLITE_HEADER = "SQLite format 3\0";

function notOurs(file: string, why: string): InputError {
  return new InputError(
    inputErrorMessage({ file, problem: `not a WMS2 results database (${why})` }),
  );
}

/** Reject a non-empty file that does not start with the SQLite header, reading only. */
function checkHeader(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // a new database
  }
  if (size === 0) return;
  const buf = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || buf.toString("latin1") !== SQLITE_HEADER)
    throw notOurs(file, "not an SQLite file");
}

interface Identity {
  appId: number;
  version: number;
  tables: string[];
}

function readIdentity(db: Database.Database): Identity {
  return {
    appId: db.pragma("application_id", { simple: true }) as number,
    version: db.pragma("user_version", { simple: true }) as number,
    tables: db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[],
  };
}

/** Throws unless the identity is a WMS2 database this code can read, or a blank one. */
function checkIdentity(file: string, id: Identity): void {
  if (id.appId === APPLICATION_ID) {
    if (id.version > SCHEMA_VERSION) {
      throw new InputError(
        inputErrorMessage({
          file,
          problem: `schema version ${id.version} is newer than this program supports (${SCHEMA_VERSION}); use a newer WMS2`,
        }),
      );
    }
    return;
  }
  const blank = id.appId === 0 && id.version === 0 && id.tables.length === 0;
  if (!blank) {
    const tables = id.tables.length > 0 ? id.tables.join(", ") : "none";
    throw notOurs(file, `application_id ${id.appId}, tables: ${tables}`);
  }
}

function isSqliteFormatError(err: unknown): err is Error {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === "string" && (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
  );
}

export interface OpenDbOptions {
  busyTimeoutMs?: number;
  /** Open an existing database for reading only: nothing is created or migrated. */
  readonly?: boolean;
  /** Migrate only up to this version (tests of the migration path). */
  targetVersion?: number;
}

/**
 * Open (creating if absent, unless read-only) the results database at `file`. A file that
 * is not a WMS2 results database, or one written by a newer schema, is an InputError and
 * is left exactly as it was.
 */
export function openResultsDb(file: string, opts: OpenDbOptions = {}): Database.Database {
  if (opts.readonly && !existsSync(file)) {
    throw new InputError(
      inputErrorMessage({ file, problem: "no results database (file not found)" }),
    );
  }
  checkHeader(file);
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly: opts.readonly ?? false,
      fileMustExist: opts.readonly ?? false,
    });
  } catch (err) {
    const problem = `cannot open database (${(err as Error).message.split("\n")[0]})`;
    throw new InputError(inputErrorMessage({ file, problem }));
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    const id = readIdentity(db);
    checkIdentity(file, id);
    if (opts.readonly) {
      if (id.version === 0) throw notOurs(file, "empty database");
      return db;
    }
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    const target = opts.targetVersion ?? SCHEMA_VERSION;
    if (id.appId === APPLICATION_ID && id.version >= target) return db;
    const migrate = db.transaction(() => {
      // Read again under the write lock: another process may have created the schema.
      const locked = readIdentity(db);
      checkIdentity(file, locked);
      applyMigrations(db, target);
      if (locked.appId !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
    });
    migrate.immediate();
    return db;
  } catch (err) {
    db.close();
    if (isSqliteFormatError(err)) throw notOurs(file, err.message.split("\n")[0]);
    throw err;
  }
}
