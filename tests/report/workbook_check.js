// Reads bcf-part2.xlsx back with exceljs (a real reader that does not recalculate) and checks
//   * the seven sheets, in order (then Care Trak and Care Trak value with --care-trak, and each
//     --extra-sheet NAME in order after them), and frozen
//     header rows;
//   * every formula cell has a cached result, and that result equals the formula recomputed
//     here from the cells it references (SUM, SUMIF, MIN, MAX, IF, + - * /);
//   * charts exist (xl/charts/chart*.xml in the zip);
//   * each --expect 'Sheet!A1=value' (numbers within 0.01, otherwise text equality).
// Prints a JSON summary; exit status 1 on any failure. Usage:
//   node workbook_check.js FILE.xlsx [--min-charts N] [--min-formulas N (default 1)] [--care-trak]
//                          [--extra-sheet NAME] ...
//                          [--expect 'Sheet!B2=123'] ...
'use strict';
const ExcelJS = require('exceljs');
const JSZip = require('jszip');
const fs = require('fs');

const SHEETS = ['Summary', 'Metrics', 'Schemes and finance', 'Protected social care',
                'Payment for performance', 'Scenarios', 'Data quality'];

function colNum(letters) { let n = 0; for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64); return n; }

function cellNumber(ws, ref) {
  const c = ws.getCell(ref.replace(/\$/g, ''));
  let v = c.value;
  if (v && typeof v === 'object' && 'result' in v) v = v.result;
  return typeof v === 'number' ? v : null;
}
function cellText(ws, ref) {
  const v = ws.getCell(ref.replace(/\$/g, '')).value;
  if (v && typeof v === 'object' && 'formula' in v) return v.result === undefined ? 0 : v.result;
  return v === null || v === undefined ? '' : v;
}

function rangeCells(range) {
  const m = /^\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$/.exec(range);
  const out = [];
  for (let r = +m[2]; r <= +m[4]; r++)
    for (let c = colNum(m[1]); c <= colNum(m[3]); c++) out.push({ r, c });
  return out;
}

// A tiny evaluator for the formulas Pioneer writes.
function evaluate(wb, ws, formula) {
  let s = formula.replace(/^=/, '');
  let i = 0;
  const peek = () => s[i];
  const skip = () => { while (s[i] === ' ') i++; };
  function sheetOf(name) { return name ? wb.getWorksheet(name.replace(/^'|'$/g, '')) : ws; }
  function ref() {
    const m = /^((?:'[^']+'|[A-Za-z]+)!)?(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    return { sheet: sheetOf(m[1] ? m[1].slice(0, -1) : null), ref: m[2] };
  }
  function args() {
    const a = []; i++; // (
    for (;;) { skip(); a.push(expr()); skip(); if (peek() === ',') { i++; continue; } if (peek() === ')') { i++; return a; } throw new Error('bad args in ' + formula); }
  }
  function primary() {
    skip();
    if (peek() === '(') { i++; const v = expr(); skip(); i++; return v; }
    if (peek() === '-') { i++; return -primary(); }
    if (peek() === '"') { const j = s.indexOf('"', i + 1); const t = s.slice(i + 1, j); i = j + 1; return t; }
    const fn = /^([A-Z]+)\(/.exec(s.slice(i));
    if (fn) {
      i += fn[1].length;
      const name = fn[1];
      if (name === 'SUM') { const a = args(); return a.flat().reduce((x, y) => x + (typeof y === 'number' ? y : 0), 0); }
      if (name === 'MIN') return Math.min(...args().flat());
      if (name === 'MAX') return Math.max(...args().flat());
      if (name === 'IF') { const a = args(); return a[0] ? a[1] : a[2]; }
      if (name === 'SUMIF') {
        const save = i; i++; skip(); const crit = ref(); skip(); i++; skip(); const want = primary(); skip(); i++; skip(); const sum = ref(); skip(); i++;
        void save;
        const cs = rangeCells(crit.ref), ss = rangeCells(sum.ref);
        let t = 0;
        cs.forEach((c, k) => { if (String(crit.sheet.getCell(c.r, c.c).value) === want) { const v = cellNumber(sum.sheet, sum.sheet.getCell(ss[k].r, ss[k].c).address); t += v || 0; } });
        return t;
      }
      throw new Error('unknown function ' + name);
    }
    const num = /^\d+(\.\d+)?/.exec(s.slice(i));
    if (num) { i += num[0].length; return parseFloat(num[0]); }
    const r = ref();
    if (!r) throw new Error('cannot parse ' + formula + ' at ' + i);
    if (r.ref.includes(':')) return rangeCells(r.ref).map(c => cellNumber(r.sheet, r.sheet.getCell(c.r, c.c).address) || 0);
    const n = cellNumber(r.sheet, r.ref);
    return n === null ? 0 : n;
  }
  function term() { let v = primary(); for (;;) { skip(); const op = peek(); if (op !== '*' && op !== '/') return v; i++; const w = primary(); v = op === '*' ? v * w : v / w; } }
  function arith() { let v = term(); for (;;) { skip(); const op = peek(); if (op !== '+' && op !== '-') return v; i++; const w = term(); v = op === '+' ? v + w : v - w; } }
  function expr() { const v = arith(); skip(); if (peek() === '=') { i++; const w = arith(); return v === w; } return v; }
  return expr();
}

(async () => {
  const file = process.argv[2];
  let minCharts = 1, minFormulas = 1, careTrak = false;
  const expects = [], extraSheets = [];
  for (let k = 3; k < process.argv.length; k++) {
    if (process.argv[k] === '--min-charts') minCharts = +process.argv[++k];
    else if (process.argv[k] === '--min-formulas') minFormulas = +process.argv[++k];
    else if (process.argv[k] === '--expect') expects.push(process.argv[++k]);
    else if (process.argv[k] === '--care-trak') careTrak = true;
    else if (process.argv[k] === '--extra-sheet') extraSheets.push(process.argv[++k]);
  }
  const sheets = (careTrak ? SHEETS.concat(['Care Trak', 'Care Trak value']) : SHEETS).concat(extraSheets);
  const failures = [];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const names = wb.worksheets.map(w => w.name);
  if (JSON.stringify(names) !== JSON.stringify(sheets)) failures.push('sheets are ' + JSON.stringify(names));
  let formulas = 0, recomputed = 0;
  for (const ws of wb.worksheets) {
    const frozen = (ws.views || []).some(v => v.state === 'frozen' && v.ySplit >= 1);
    if (!frozen) failures.push(ws.name + ': header row not frozen');
    ws.eachRow(row => row.eachCell(cell => {
      const v = cell.value;
      if (!v || typeof v !== 'object' || !('formula' in v)) return;
      formulas++;
      // libxlsxwriter omits a cached 0, which readers (exceljs included) read as 0.
      const cached = v.result === undefined ? 0 : v.result;
      if (typeof cached !== 'number' && typeof cached !== 'string') {
        failures.push(`${ws.name}!${cell.address}: formula ${v.formula} has no cached result`);
        return;
      }
      let want;
      try { want = evaluate(wb, ws, v.formula); } catch (e) { failures.push(`${ws.name}!${cell.address}: ${e.message}`); return; }
      if (want === '' && cached === '') { recomputed++; return; }
      if (typeof want !== 'number' || Math.abs(want - cached) > 0.01)
        failures.push(`${ws.name}!${cell.address}: ${v.formula} cached ${cached} but recomputes to ${want}`);
      else recomputed++;
    }));
  }
  if (formulas < minFormulas) failures.push(`${formulas} formulas, wanted at least ${minFormulas}`);
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const charts = Object.keys(zip.files).filter(n => /^xl\/charts\/chart\d+\.xml$/.test(n)).length;
  if (charts < minCharts) failures.push(`only ${charts} charts, wanted ${minCharts}`);
  for (const e of expects) {
    const m = /^(.+)!([A-Z]+\d+)=(.*)$/.exec(e);
    const ws = wb.getWorksheet(m[1]);
    if (!ws) { failures.push('no sheet ' + m[1]); continue; }
    const got = cellText(ws, m[2]);
    const num = parseFloat(m[3]);
    const ok = !isNaN(num) && /^-?[\d.]+$/.test(m[3]) ? typeof got === 'number' && Math.abs(got - num) <= 0.01 : String(got) === m[3];
    if (!ok) failures.push(`${e}: got ${JSON.stringify(got)}`);
  }
  console.log(JSON.stringify({ file, sheets: names, formulas, recomputed, charts, failures }, null, 1));
  process.exit(failures.length ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
