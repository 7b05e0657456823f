// `npm run bench:ui`: in Debian's Chromium, (1) time from query submit to first rows on screen, minus the API's
// share, through the browser host against the local tenant; (2) frame times while scrolling the real results table
// with 10,000 rows; (3) the Logs screen's tail latency, from an event made on the tenant to its row on screen.
// Prints figures; asserts nothing about time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';
import { Agent, request } from 'undici';
import { startBrowserHost } from '../../main/browser-host/server.js';
import { createRouter } from '../../main/router.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const TAIL_EVENTS = Number(process.env.BENCH_TAIL_EVENTS ?? 12);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (n=${s.length})`;
};

/** The machine's CPU time counters (Linux: the first line of /proc/stat), or null elsewhere. */
function cpuTimes(): { steal: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal (guest times are already inside user and nice)
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}
/** The share of CPU time stolen between two readings, in percent. */
function stealShare(before: ReturnType<typeof cpuTimes>, after: ReturnType<typeof cpuTimes>): number | null {
  if (!before || !after || after.total === before.total) return null;
  return (100 * (after.steal - before.steal)) / (after.total - before.total);
}

// BENCH_UI_PARTS=scroll (or search) runs one part alone; both by default.
const parts = new Set((process.env.BENCH_UI_PARTS ?? 'search,scroll').split(','));

// 1. Query submit → first rows, then the Logs tail.
if (parts.has('search')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'td-bench-ui-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/browser-host/cli.ts', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  const page = await browser.newPage();
  process.on('exit', () => child.kill('SIGTERM'));
  await page.goto(url);
  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const render: number[] = [];
  const api: number[] = [];
  const queries = [
    'email:*@example.com',
    'app_metadata.plan:"pro"',
    'name:ada*',
    'blocked:true',
    'logins_count:[100 TO 150]',
  ];
  for (let i = 0; i < ROUNDS; i++) {
    await page.evaluate(() => performance.clearMarks());
    const box = page.getByRole('textbox', { name: /Search query/ });
    await box.fill(queries[i % queries.length]!);
    await box.press('Enter');
    // Page code is a string (tsx would decorate functions with helpers the page lacks), polled from here because
    // the app's CSP rightly forbids the string evaluation waitForFunction would do inside the page.
    const probe = `(() => {
      const at = (n) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime;
      const s = at('search:submit'), r = at('search:response'), rows = at('search:rows');
      return s !== undefined && r !== undefined && rows !== undefined && rows > r ? { s, r, rows } : null;
    })()`;
    let found: unknown = null;
    for (let tries = 0; !found && tries < 600; tries++) {
      found = await page.evaluate(probe);
      if (!found) await new Promise((res) => setTimeout(res, 10));
    }
    if (!found) throw new Error('rows never appeared');
    const { s, r, rows } = found as { s: number; r: number; rows: number };
    api.push(r - s);
    render.push(rows - r);
  }
  console.log(`query submit → first rows, minus API time: ${stats(render)}`);
  console.log(`  (API share over loopback, for reference: ${stats(api)})`);

  // 3. The Logs screen's live tail: an event made on the tenant (a refused token request, from outside the app) →
  // its row on screen. The tail polls by checkpoint every 2 s (inside Auth0's 100 log reads a minute), so about
  // half that is waiting for the next poll; events are spread over the poll's cycle.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Logs' }).click();
  await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Follow new events' }).click();
  await new Promise((r) => setTimeout(r, 2_500));
  const profile = (
    JSON.parse(readFileSync(join(dataDir, 'tenants.json'), 'utf8')) as {
      tenants: { domain: string; clientId: string; caCert: string }[];
    }
  ).tenants[0]!;
  const agent = new Agent({ connect: { ca: profile.caCert } });
  const tail: number[] = [];
  const freshRows = () =>
    page.evaluate(`document.querySelectorAll('[data-testid="logs-table"] tr.fresh').length`);
  for (let i = 0; i < TAIL_EVENTS; i++) {
    await new Promise((r) => setTimeout(r, (i * 379) % 2_000));
    const before = (await freshRows()) as number;
    const made = performance.now();
    const res = await request(`https://${profile.domain}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: profile.clientId,
        client_secret: 'wrong-on-purpose',
        audience: `https://${profile.domain}/api/v2/`,
      }),
      dispatcher: agent,
    });
    await res.body.dump();
    while (((await freshRows()) as number) <= before) await new Promise((r) => setTimeout(r, 5));
    tail.push(performance.now() - made);
  }
  console.log(`logs tail, event made → row shown (polling every 2 s): ${stats(tail)}`);
  await page.close();
  child.kill('SIGTERM');
}

// 2. Scrolling 10,000 rows, 400 px a frame (about 11 rows come into view in each). The scroll position is set
// between frames, as a wheel or a drag does. A frame's work is the page's main-thread time for it, measured as a
// long-animation-frame entry is: from the frame's first work (the scroll event, where the virtualizer renders the
// rows coming into view) through style, layout and paint, to a task posted from the frame's callbacks, which runs once
// the frame is committed. Printed beside it, for reference: the same measured from the frame's scheduled start
// (requestAnimationFrame's timestamp; this adds the wait before the main thread starts the frame: the machine's
// scheduling of the renderer on two busy cores, or any task ahead of the frame), and the time between frames, which can't fall below the
// display's refresh interval (16.7 ms at 60 Hz): an empty page measured that way has a median of 16.7 ms.
if (parts.has('scroll')) {
  const handlers = {} as never;
  const host = await startBrowserHost({
    router: createRouter(handlers, () => []),
    staticDir: 'out/renderer-bench',
  });
  const measure = `(async () => {
    const el = document.querySelector('[data-testid="results-scroller"]') ?? document.scrollingElement;
    const work = [], scheduled = [], between = [];
    let firstEvent = null;
    const onScroll = () => { firstEvent ??= performance.now(); };
    window.addEventListener('scroll', onScroll, true);
    const frame = () => new Promise((resolve) => requestAnimationFrame((start) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ start, end: performance.now() });
      channel.port2.postMessage(0);
    }));
    await frame();
    const max = el.scrollHeight - el.clientHeight;
    let previous = null;
    for (let y = 400; y <= max || (max <= 0 && work.length < 900); y += 400) {
      el.scrollTop = y;
      firstEvent = null;
      const { start, end } = await frame();
      work.push(end - (firstEvent ?? start));
      scheduled.push(end - start);
      if (previous !== null) between.push(start - previous);
      previous = start;
    }
    window.removeEventListener('scroll', onScroll, true);
    return { work, scheduled, between, rowsInDom: document.querySelectorAll('[data-testid="results-scroller"] [role="row"][aria-rowindex]').length };
  })()`;
  type Frames = { work: number[]; scheduled: number[]; between: number[]; rowsInDom: number };
  // The same measure on an empty page, for scale: what the browser costs with nothing to draw.
  const blankPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await blankPage.goto('about:blank');
  const blank = (await blankPage.evaluate(measure)) as Frames;
  await blankPage.close();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url.replace('/?token=', '/bench.html?rows=10000&token='));
  await page.getByTestId('results-scroller').waitFor();
  // One pass down and back to the top first, so the figures are of a warmed page, as a user's second scroll is.
  await page.evaluate(measure);
  await page.evaluate(`document.querySelector('[data-testid="results-scroller"]').scrollTop = 0`);
  const stolenBefore = cpuTimes();
  const frames = (await page.evaluate(measure)) as Frames;
  const stolen = stealShare(stolenBefore, cpuTimes());
  const late = frames.between.filter((ms) => ms > 17.5).length;
  console.log(
    `  (empty page, same measure: frame work ${stats(blank.work)}; time between frames ${stats(blank.between)})`,
  );
  console.log(`  (frame work from the frame's scheduled start, for reference: ${stats(frames.scheduled)})`);
  console.log(
    `  (time between frames, for reference: ${stats(frames.between)}; ${late} of ${frames.between.length} later than one refresh)`,
  );
  // On a virtual machine the host can take CPU time from it (steal); the frames' tail follows it (a pass with 11%
  // stolen had a p95 of 19 ms where passes under 1% had 11-12 ms), so it is printed beside the figure.
  if (stolen !== null)
    console.log(
      `  (CPU time taken by the virtual machine's host during the pass (steal): ${stolen.toFixed(1)}%)`,
    );
  console.log(
    `scrolling 10,000 rows (${frames.work.length} frames, 400 px per frame, ${frames.rowsInDom} rows in the DOM): frame work ${stats(frames.work)}`,
  );
  await host.close();
}
await browser.close();
