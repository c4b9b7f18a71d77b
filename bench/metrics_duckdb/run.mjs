// DuckDB peer of bench/metrics_bench.sh: loads the store's tables from CSV (every column as
// text, as exported by the script), runs every counting statement that
// `pioneer metrics --emit-sql duckdb` printed, and checks each result against the cells the
// fast engine counted. Prints one JSON line: load and query seconds, statements, mismatches.
//   node run.mjs CSV_DIR STATEMENTS.json [STATEMENTS2.json ...]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, readdirSync } from 'node:fs';

const [csvDir, ...files] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', {
  threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false',
});
const con = await inst.connect();
const t0 = performance.now();
for (const f of readdirSync(csvDir).filter((f) => f.endsWith('.csv')).sort()) {
  const table = f.slice(0, -4);
  await con.run(`CREATE TABLE "${table}" AS SELECT * FROM read_csv('${csvDir}/${f}', header = true, all_varchar = true, nullstr = '')`);
}
const loadSeconds = (performance.now() - t0) / 1000;
let statements = 0, mismatches = 0, querySeconds = 0;
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
console.log(JSON.stringify({ peer: 'duckdb', loadSeconds, querySeconds, statements, mismatches, problems }));
con.closeSync();
inst.closeSync();
