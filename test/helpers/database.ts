import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/** A database of its own for one test file: the env the playground reads, and how to drop it. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

const uniqueName = () => `personalize_test_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Whether the suite was asked to run against PostgreSQL (`DATABASE_CLIENT=postgres` + `DATABASE_URL`). */
export const usesPostgres = () =>
  process.env.DATABASE_CLIENT === 'postgres' && Boolean(process.env.DATABASE_URL);

export const createPostgresDatabase = async (serverUrl: string): Promise<TestDatabase> => {
  const name = uniqueName();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
};

/** Whether the suite was asked to run against MySQL or MariaDB (`DATABASE_CLIENT=mysql`). */
export const usesMysql = () =>
  process.env.DATABASE_CLIENT === 'mysql' && Boolean(process.env.DATABASE_URL);

/** Runs one statement on the server of `serverUrl` (MySQL, MariaDB). */
const onMysql = async (serverUrl: string, statement: string) => {
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
};

export const createMysqlDatabase = async (serverUrl: string): Promise<TestDatabase> => {
  const name = uniqueName();
  await onMysql(
    serverUrl,
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_CLIENT: 'mysql', DATABASE_URL: url.toString() },
    drop: () => onMysql(serverUrl, `DROP DATABASE IF EXISTS \`${name}\``),
  };
};

const createSqliteDatabase = (): TestDatabase => {
  const filename = path.join(tmpdir(), `${uniqueName()}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
    async drop() {
      await Promise.all(
        ['', '-journal', '-wal', '-shm'].map((suffix) =>
          rm(`${filename}${suffix}`, { force: true })
        )
      );
    },
  };
};

/** A fresh, empty database: a temporary SQLite file, or a new PostgreSQL or MySQL database. */
export const createTestDatabase = async (): Promise<TestDatabase> =>
  usesPostgres()
    ? createPostgresDatabase(process.env.DATABASE_URL as string)
    : usesMysql()
      ? createMysqlDatabase(process.env.DATABASE_URL as string)
      : createSqliteDatabase();
