// Opens dashboard.html in headless Chromium (playwright-core + Debian chromium) with network
// access blocked, and checks: no console errors or page errors; every <canvas> holds a
// chart.js chart that drew something; window.pioneerChartsRendered equals the canvas count;
// every chart has a data table; at phone width (375 px) the page does not scroll sideways and
// every RAG cell is in view. Saves full-page screenshots at desktop width (SCREENSHOT.png) and
// phone width (SCREENSHOT-phone.png). Prints a JSON summary; exit 1 on failure. Usage:
//   node dashboard_check.js FILE.html SCREENSHOT.png
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

(async () => {
  const [file, shot] = process.argv.slice(2);
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pioneer-chrome-'));
  const failures = [];
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: exe, headless: true, viewport: { width: 1280, height: 900 }, offline: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'] });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const requests = [];
    await page.route('**/*', route => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on('console', m => { if (m.type() === 'error') failures.push('console error: ' + m.text()); });
    page.on('pageerror', e => failures.push('page error: ' + e.message));
    await page.goto('file://' + path.resolve(file));
    await page.waitForFunction(() => window.pioneerChartsRendered !== undefined, null, { timeout: 15000 })
      .catch(() => failures.push('charts never finished rendering'));
    const info = await page.evaluate(() => {
      const canvases = Array.from(document.querySelectorAll('canvas'));
      return {
        rendered: window.pioneerChartsRendered,
        canvases: canvases.map(c => {
          const chart = window.Chart && window.Chart.getChart(c);
          const ctx = c.getContext('2d');
          const px = ctx.getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let k = 3; k < px.length; k += 4) if (px[k] !== 0) painted++;
          return { id: c.id, chart: !!chart, points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0) : 0, painted, w: c.width, h: c.height };
        }),
      };
    });
    if (info.canvases.length === 0) failures.push('no charts on the page');
    if (info.rendered !== info.canvases.length) failures.push(`rendered ${info.rendered} of ${info.canvases.length} canvases`);
    for (const c of info.canvases) {
      if (!c.chart) failures.push(c.id + ': no chart');
      else if (c.painted === 0) failures.push(c.id + ': blank canvas');
    }
    if (requests.length) failures.push('page tried the network: ' + requests.join(', '));
    // Every chart has a data table (the accessible alternative) beside it.
    const tables = await page.evaluate(() => document.querySelectorAll('details table').length);
    if (tables < info.canvases.length) failures.push(`${tables} data tables for ${info.canvases.length} charts`);
    await page.screenshot({ path: shot, fullPage: true });
    // Phone width: no horizontal page scroll, and every RAG cell in view.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300);
    const phone = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const rags = Array.from(document.querySelectorAll('td.rag')).map(td => td.getBoundingClientRect().right);
      return { vw, scroll: document.documentElement.scrollWidth, rags: rags.length,
               hidden: rags.filter(r => r > vw + 1).length };
    });
    if (phone.scroll > phone.vw + 1) failures.push(`phone width: page is ${phone.scroll} px wide in a ${phone.vw} px viewport`);
    if (phone.hidden) failures.push(`phone width: ${phone.hidden} of ${phone.rags} RAG cells outside the viewport`);
    await page.screenshot({ path: shot.replace(/\.png$/, '-phone.png'), fullPage: true });
    console.log(JSON.stringify({ file, screenshot: shot, charts: info.canvases, phone, failures }, null, 1));
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failures.length ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
