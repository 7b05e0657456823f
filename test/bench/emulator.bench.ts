// `npm run bench:emulator`: start-up time with 100,000 seeded users, then user searches per second over loopback
// HTTPS through keep-alive connections, per query shape. Prints figures; asserts nothing about time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

// The emulator runs in its own process, started exactly as users start it, so client and server don't share a thread.
const t0 = performance.now();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--users', String(USERS), '--seed', 'bench'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
});
const startupMs = performance.now() - t0;
const info = JSON.parse(firstLine) as {
  domain: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  caCertFile: string;
};
const emu = { ...info, url: `https://${info.domain}`, caCert: readFileSync(info.caCertFile, 'utf8') };
console.log(
  `start-up with ${USERS.toLocaleString('en')} users (CLI, to first stdout line, incl. tsx): ${(startupMs / 1000).toFixed(2)} s`,
);

const agent = new Agent({ connect: { ca: emu.caCert }, connections: CONCURRENCY, pipelining: 1 });
const tokenRes = await request(`${emu.url}/oauth/token`, {
  method: 'POST',
  dispatcher: agent,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    grant_type: 'client_credentials',
    client_id: emu.clientId,
    client_secret: emu.clientSecret,
    audience: emu.audience,
  }),
});
const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };

const sampleRes = await request(
  `${emu.url}/api/v2/users?per_page=1&page=${Math.min(999, Math.floor(USERS / 2))}&q=${encodeURIComponent('email:*@example.org')}`,
  {
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}` },
  },
);
const sample = ((await sampleRes.body.json()) as { email: string; user_id: string }[])[0]!;
const shapes: [string, string][] = [
  ['exact email', `email:"${sample.email}"`],
  ['user_id', `user_id:"${sample.user_id}"`],
  ['name prefix', 'name:ada*'],
  ['email domain wildcard', 'email:*@example.org'],
  ['blocked:true', 'blocked:true'],
  ['connection', 'identities.connection:"google-oauth2"'],
  ['app_metadata', 'app_metadata.plan:"pro"'],
  ['AND of two', 'app_metadata.plan:"enterprise" AND email_verified:false'],
  ['logins range', 'logins_count:[100 TO 150]'],
];

async function run(q: string): Promise<{ rate: number; total: number }> {
  const path = `/api/v2/users?per_page=50&include_totals=true&q=${encodeURIComponent(q)}`;
  let done = 0;
  let total = 0;
  const until = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const res = await request(`${emu.url}${path}`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.body.json()) as { total?: number; message?: string };
      if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${body.message}`);
      total = body.total ?? 0;
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { rate: done / ((performance.now() - started) / 1000), total };
}

console.log(
  `searches/s over loopback HTTPS (${CONCURRENCY} connections, ${SECONDS} s each, per_page=50, include_totals):`,
);
for (const [label, q] of shapes) {
  const { rate, total } = await run(q);
  console.log(
    `  ${label.padEnd(24)} ${rate.toFixed(0).padStart(6)} /s   (${total.toLocaleString('en')} matches)  q=${q}`,
  );
}
await agent.close();
child.kill('SIGTERM');
