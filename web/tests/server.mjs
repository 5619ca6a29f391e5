// Starts the REAL mineplan server for the browser tests: a fresh store (`mineplan init`),
// accounts (`mineplan user add`, password on stdin), then `mineplan serve --port 0 --web dist`;
// the port is read from the line `listening on http://127.0.0.1:PORT` it prints when ready.
// No mock: without a mineplan binary that has `serve`, the tests fail and say so.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(WEB, '..');
export const BIN = process.env.MINEPLAN_BIN ? path.resolve(process.env.MINEPLAN_BIN) : path.join(REPO, 'build', 'mineplan');
export const DIST = process.env.MINEPLAN_WEB_DIST ? path.resolve(process.env.MINEPLAN_WEB_DIST) : path.join(WEB, 'dist');

function run(args, { cwd, input } = {}) {
  const r = spawnSync(BIN, args, { cwd, input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`${BIN} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${BIN} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export function checkPrerequisites() {
  if (!existsSync(BIN)) throw new Error(`mineplan binary not found at ${BIN} (build it, or set MINEPLAN_BIN)`);
  const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  const text = `${help.stdout}${help.stderr}`;
  if (!/\bmineplan serve\b/.test(text)) {
    throw new Error(`${BIN} has no \`serve\` command yet (mineplan --help does not list it); build a binary with the server and set MINEPLAN_BIN`);
  }
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html missing: run \`npm run build\` in web/ first`);
}

// users: [{username, password, role, jurisdiction, holder?, licences?, display_name?}]
// (licences: what a holder's account is linked to — licence numbers, or uids where the register
// has none)
export async function startServer({ users = [], timeoutMs = 60_000 } = {}) {
  checkPrerequisites();
  const dir = mkdtempSync(path.join(tmpdir(), 'mineplan-web-'));
  const db = path.join(dir, 'tmp.gpkg');
  run(['init', db], { cwd: REPO });
  for (const u of users) {
    const args = ['user', 'add', db, '--username', u.username, '--role', u.role, '--jurisdiction', u.jurisdiction];
    if (u.holder) args.push('--holder', u.holder);
    for (const licence of u.licences || []) args.push('--licence', licence);
    if (u.display_name) args.push('--display-name', u.display_name);
    run(args, { cwd: REPO, input: `${u.password}\n` });
  }

  const child = spawn(BIN, ['serve', db, '--port', '0', '--web', DIST], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; if (process.env.MINEPLAN_SERVER_LOG) process.stderr.write(d); });
  child.stdout.setEncoding('utf8');

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mineplan serve did not print "listening on" within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (process.env.MINEPLAN_SERVER_LOG) process.stderr.write(d);
      const m = stdout.match(/listening on (http:\/\/[^\s/]+:(\d+))/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mineplan serve exited early (code ${code}, signal ${signal})\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });

  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    db,
    dir,
    log: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      if (!process.env.MINEPLAN_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
