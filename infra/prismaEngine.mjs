// Shared helpers: load @prisma/schema-engine-wasm on Node 20 and build a migration-aware adapter factory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// The wasm-bindgen glue caches views of one instance's memory: instantiate once per process.
let loaded;
export function loadWasmEngine() {
  loaded ??= instantiate();
  return loaded;
}

async function instantiate() {
  // the engine reports Rust panics through this global before trapping
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m) => process.stderr.write(`schema-engine-wasm panic: ${m}\n`) };
  const bgUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = await import(bgUrl);
  // set by prisma.mjs for the Prisma tooling processes, not a claimflow setting
  const wasmFile = process.env.SCHEMA_ENGINE_WASM ?? path.join(path.dirname(fileURLToPath(bgUrl)), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg; // { SchemaEngine, version }
}

async function patchPgCharType(factory) {
  // adapter-pg 7.10 throws UnsupportedNativeDataType for PostgreSQL's internal "char" type (OID 18),
  // which the schema engine's catalog queries return (relkind, contype, ...). The engine wants
  // ColumnType Character (6) for those columns: let them through as text, then re-tag them.
  const probe = await factory.connect();
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(probe)); // PgQueryable.prototype
  await probe.dispose();
  if (queryable.__charPatched) return;
  const charCols = new WeakMap();
  const performIO = queryable.performIO,
    queryRaw = queryable.queryRaw;
  queryable.performIO = async function (query) {
    const res = await performIO.call(this, query);
    const idx = [];
    (res?.fields ?? []).forEach((f, i) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25;
        idx.push(i);
      }
    });
    if (idx.length && res.rows) charCols.set(res.rows, idx);
    return res;
  };
  queryable.queryRaw = async function (query) {
    const out = await queryRaw.call(this, query);
    for (const i of charCols.get(out.rows) ?? []) out.columnTypes[i] = 6; // ColumnTypeEnum.Character
    return out;
  };
  queryable.__charPatched = true;
}

export async function makeAdapterFactory(url, { pglite } = {}) {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { parse } = await import('pg-connection-string');
    class PgFactory extends PrismaPg {
      // adapter-pg's own version connects to the main DB when given a connectionString and
      // drops the shadow DB before closing its pool; this one does neither.
      async connectToShadowDb() {
        const admin = await this.connect();
        const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
        await admin.executeScript(`CREATE DATABASE "${name}"`);
        const shadow = await new PrismaPg({ ...this.config, database: name }).connect();
        const dispose = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          await dispose();
          await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
          await admin.dispose();
        };
        return shadow;
      }
    }
    const f = new PgFactory(parse(url));
    await patchPgCharType(f);
    return bindMigrationAwareSqlAdapterFactory(f);
  }
  if (url.startsWith('pglite:')) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const dir = url.slice('pglite:'.length) || undefined; // pglite:./pgdata or pglite: (memory)
    // a PGlite directory can be open in one process only: callers that already own it pass it in
    const base = new PrismaPGlite(pglite ?? new PGlite(dir));
    // pglite-prisma-adapter 0.7.2 does not await client.exec() in executeScript, so a failing
    // migration is silently recorded as applied. Await it.
    const fix = (a) => {
      a.executeScript = async (script) => {
        try {
          await a.client.exec(script);
        } catch (e) {
          a.onError(e);
        }
      };
      return a;
    };
    return bindMigrationAwareSqlAdapterFactory({
      provider: base.provider,
      adapterName: base.adapterName,
      connect: async () => fix(await base.connect()),
      connectToShadowDb: async () => fix(await base.connectToShadowDb()),
    });
  }
  if (url.startsWith('file:')) {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    const base = new PrismaBetterSqlite3({ url });
    // The wasm SQLite connector replays migrations on the shadow DB through executeRaw(), which
    // better-sqlite3 rejects for multi-statement SQL. Fall back to executeScript() for those.
    const fix = (a) => {
      const raw = a.executeRaw.bind(a);
      a.executeRaw = async (q) => {
        if (q.args?.length) return raw(q);
        try {
          return await raw(q);
        } catch (e) {
          if (!/more than one statement/.test(String(e?.cause?.originalMessage ?? e?.cause?.message ?? e?.message ?? ''))) throw e;
          await a.executeScript(q.sql);
          return 0;
        }
      };
      return a;
    };
    return bindMigrationAwareSqlAdapterFactory({
      provider: base.provider,
      adapterName: base.adapterName,
      connect: async () => fix(await base.connect()),
      connectToShadowDb: async () => fix(await base.connectToShadowDb()),
    });
  }
  throw new Error(`unsupported datasource url: ${url}`);
}
