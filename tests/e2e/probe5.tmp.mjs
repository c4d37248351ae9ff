import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
for (let run = 0; run < 4; run++) {
  const p = await b.newPage({ viewport: { width: 1600, height: 1000 } });
  const pending = new Set();
  p.on('request', r => pending.add(r.url()));
  p.on('requestfinished', r => pending.delete(r.url()));
  p.on('requestfailed', r => { pending.delete(r.url()); console.log('failed', r.url()); });
  p.on('console', m => { if (m.type() !== 'warning') console.log('console', m.type(), m.text().slice(0,200)); });
  p.on('worker', w => { console.log('  worker', w.url()); w.on('console', m => console.log('  wconsole', m.text())); });
  const t0 = Date.now();
  await p.goto(process.argv[2]);
  let s;
  for (let i = 0; i < 60; i++) { s = await p.evaluate(() => document.body.dataset.state); if (s === 'ready' || s === 'error') break; await new Promise(r => setTimeout(r, 250)); }
  console.log(run, s, Date.now() - t0, 'pending:', [...pending]);
  await p.close();
}
await b.close();
