// DuckDB peer of bench/metrics_bench.sh: loads the store's tables from the CSV exports the
// script wrote, with the store's column types (CSV_DIR/schema.json: SQLite INTEGER -> BIGINT,
// REAL -> DOUBLE, TEXT -> VARCHAR; _rowid, the SQLite rowid, BIGINT), runs every counting
// statement that `pioneer metrics --emit-sql duckdb` printed, and checks each result against
// the cells the fast engine counted. Prints one JSON line: load and query seconds,
// statements, mismatches.
//   node run.mjs [--persistent=FILE] CSV_DIR STATEMENTS.json [STATEMENTS2.json ...]
// With --persistent, the tables are loaded into the DuckDB database FILE (load timed apart, as
// before), the database is closed, and the queries run on a fresh instance opened from FILE:
// querySeconds then covers opening the file plus every statement (DuckDB's equivalent of
// `pioneer metrics` opening its timeline snapshot).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, statSync } from 'node:fs';

const argv = process.argv.slice(2);
const persistent = argv[0]?.startsWith('--persistent=') ? argv.shift().slice(13) : null;
const [csvDir, ...files] = argv;
const settings = {
  threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false',
};
let inst = await DuckDBInstance.create(persistent ?? ':memory:', settings);
let con = await inst.connect();
const t0 = performance.now();
const schema = JSON.parse(readFileSync(`${csvDir}/schema.json`, 'utf8'));
const types = { INTEGER: 'BIGINT', REAL: 'DOUBLE' };
for (const [table, cols] of Object.entries(schema)) {
  const defs = cols.map(([c, t]) => `"${c}" ${types[t] ?? 'VARCHAR'}`).join(', ');
  await con.run(`CREATE TABLE "${table}" (${defs})`);
  if (statSync(`${csvDir}/${table}.csv`).size === 0) continue;  // an empty table
  await con.run(`COPY "${table}" FROM '${csvDir}/${table}.csv' (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '')`);
}
if (persistent) await con.run('CHECKPOINT');
const loadSeconds = (performance.now() - t0) / 1000;
let openSeconds = 0;
if (persistent) {
  con.closeSync();
  inst.closeSync();
  const o0 = performance.now();
  inst = await DuckDBInstance.create(persistent, settings);
  con = await inst.connect();
  openSeconds = (performance.now() - o0) / 1000;
}
let statements = 0, mismatches = 0, querySeconds = openSeconds;
const problems = [];
for (const file of files) {
  for (const s of JSON.parse(readFileSync(file, 'utf8'))) {
    const q0 = performance.now();
    const r = await con.runAndReadAll(s.sql);
    querySeconds += (performance.now() - q0) / 1000;
    ++statements;
    const got = new Map();
    for (const row of r.getRows()) {
      got.set(`${Number(row[0])}|${row[1]}|${Number(row[2])}|${Number(row[3])}`, Number(row[4]));
    }
    const want = new Map(s.expected.map((c) => [`${c[0]}|${c[1]}|${c[2]}|${c[3]}`, Number(c[4])]));
    let same = got.size === want.size;
    for (const [k, v] of want) if (got.get(k) !== v) same = false;
    if (!same) {
      ++mismatches;
      if (problems.length < 5) problems.push(`${s.metric}: ${want.size} cells expected, ${got.size} got`);
    }
  }
}
console.log(JSON.stringify({ peer: 'duckdb', persistent: !!persistent, loadSeconds, openSeconds,
  querySeconds, statements, mismatches, problems }));
con.closeSync();
inst.closeSync();
