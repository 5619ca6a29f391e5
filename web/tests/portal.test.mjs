// Browser tests of the one-map portal against the REAL server (tests/server.mjs):
// headless Chromium drives the built app (web/dist) served by `mineplan serve`.
// Screenshots: web/test-results/*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { startServer, REPO, BIN } from './server.mjs';
import { launch, newPage, screenshot, tid } from './browser.mjs';

const STAFF = {
  username: 'dalad-staff', password: 'Dalad-Test-2026!', role: 'county_staff', jurisdiction: '150621',
  display_name: '达拉特旗自然资源局测试员',
};
// County staff of Ejin Horo (伊金霍洛旗), where seed 004's 48 green mines lie.
const EJIN = {
  username: 'ejin-staff', password: 'Ejin-Test-2026!', role: 'county_staff', jurisdiction: '150627',
  display_name: '伊金霍洛旗自然资源局测试员',
};
// An exchange file (CGCS2000, 3° zone 37) of a small sand pit in Dalad (达拉特旗).
const BOUNDARY = path.join(REPO, 'tests/cases/review/dalad-sand-4wan-outside-ca/boundary.txt');

// County staff of Urad Middle Banner (乌拉特中旗), the county of seed 003's program.
const URAD = {
  username: 'urad-staff', password: 'Urad-Test-2026!', role: 'county_staff', jurisdiction: '150824',
  display_name: '乌拉特中旗自然资源局测试员',
};
// The holder of the Ejin Horo green mine ejh-gm-06 (seed 004 附表2), its account linked to the
// mine (the seed lists it without a licence number: by its uid).
const HOLDER = {
  username: 'mengtai', password: 'Mengtai-Test-2026!', role: 'holder', jurisdiction: '150627',
  holder: '内蒙古蒙泰煤电集团有限公司', display_name: '蒙泰煤电测试员',
  licences: ['ejin-horo-green-2021/ejh-gm-06'],
};

// Region staff: the legacy works of the leagues are in their jurisdiction.
const REGION = {
  username: 'region-staff', password: 'Region-Test-2026!', role: 'region_staff', jurisdiction: '150000',
  display_name: '自然资源厅测试员',
};

let server;
let browser;

before(async () => {
  server = await startServer({ users: [STAFF, EJIN, URAD, HOLDER, REGION] });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function login(page, user) {
  await page.goto(`${server.url}/#/login`);
  await page.fill(tid('login-username'), user.username);
  await page.fill(tid('login-password'), user.password);
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('user-menu'), { timeout: 15_000 });
}

// Non-transparent pixels over all the map's canvases.
function paintedPixels(page) {
  return page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('[data-testid="map"] canvas')) {
      if (!c.width || !c.height) continue;
      const g = c.getContext('2d');
      if (!g) continue;
      const d = g.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n += 1;
    }
    return n;
  });
}

test('public: the map shows the public layers with a legend, loads tiles and draws them', async () => {
  const { context, page, problems } = await newPage(browser);
  const tiles = [];
  page.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/tiles/')) tiles.push({ url: r.url(), status: r.status() }); });
  await page.goto(`${server.url}/`);
  await page.waitForSelector(tid('layer-toggle-divisions'));
  for (const name of ['divisions', 'zones', 'rights', 'mines']) {
    assert.equal(await page.locator(tid(`layer-toggle-${name}`)).count(), 1, `layer ${name} offered`);
  }
  assert.equal(await page.locator(tid('layer-toggle-applications')).count(), 0, 'the restricted applications layer is not offered to the public');
  const legend = await page.locator(tid('legend')).innerText();
  for (const label of ['禁止开采区', '限制开采区', '重点勘查区', '重点开采区', '勘查规划区块', '开采规划区块', '整合区', '矿山地质环境重点治理区', '探矿权', '采矿权', '矿山', '行政区划']) {
    assert.ok(legend.includes(label), `legend shows ${label}`);
  }
  await page.waitForFunction(() => window.mineplan && window.mineplan.stats.tilesLoaded > 0 && window.mineplan.stats.renders > 0, null, { timeout: 20_000 });
  await page.waitForTimeout(500);
  assert.ok(tiles.length > 0, 'tiles were requested');
  assert.ok(tiles.some((t) => t.status === 200 && t.url.includes('/tiles/divisions/')), `a divisions tile came back 200: ${JSON.stringify(tiles.slice(0, 5))}`);
  assert.deepEqual(tiles.filter((t) => t.status !== 200 && t.status !== 204), [], 'every tile answer is 200 or 204');
  assert.ok(!tiles.some((t) => t.url.includes('/tiles/applications/')), 'no applications tiles requested');
  assert.ok(await paintedPixels(page) > 500, 'the map canvas is drawn');

  // Pointer coordinates in CGCS2000 3° Gauss-Krüger.
  const box = await page.locator(tid('map')).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 2, box.y + box.height / 2 + 1);
  const coords = await page.locator(tid('pointer-coords')).innerText();
  assert.match(coords, /^CGCS2000 3°带 第3\d带 X=\d \d{3} \d{3}\.\d\d Y=3\d \d{3} \d{3}\.\d\d \(经度 1\d\d\.\d\d° 纬度 4\d\.\d\d°\)$/);

  // Identify at the centre (inside Inner Mongolia), then the division's details.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector(tid('identify-hit'));
  const hit = page.locator(tid('identify-hit')).filter({ hasText: '行政区划' }).first();
  await hit.locator(tid('identify-detail')).click();
  await page.waitForSelector(tid('feature-detail'));
  assert.match(await page.locator(tid('feature-detail')).innerText(), /内蒙古自治区|\d{6}/);
  await screenshot(page, '01-map-public');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('login as county staff shows the user menu and the import panel', async () => {
  const { context, page } = await newPage(browser);
  await login(page, STAFF);
  const menu = await page.locator(tid('user-menu')).innerText();
  assert.ok(menu.includes(STAFF.display_name), menu);
  assert.ok(menu.includes('旗县工作人员'), menu);
  assert.ok(menu.includes('退出'), menu);
  await page.goto(`${server.url}/#/map`);
  await page.waitForSelector(`${tid('import-panel')}`, { state: 'visible' });
  await page.waitForSelector(tid('layer-toggle-divisions'));
  await screenshot(page, '02-logged-in');
  await page.click(tid('logout'));
  await page.waitForSelector(tid('nav-login'));
  await context.close();
});

test('search: a name gives results; clicking one zooms the map to its extent', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.waitForSelector(tid('layer-toggle-divisions'));
  await page.fill(tid('search-input'), '达拉特');
  await page.click(tid('search-button'));
  await page.waitForSelector(tid('search-result'));
  const first = page.locator(`a${tid('search-result')}`).filter({ hasText: '达拉特旗' }).first();
  await first.click();
  await page.waitForFunction(() => window.mineplan.map.getView().getZoom() >= 7.5, null, { timeout: 5000 });
  await page.waitForTimeout(600);
  await screenshot(page, '09-search-dalad');
  await context.close();
});

test('import (staff): a rights ledger is uploaded, the job polled to done; a bad one fails with its problems', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mineplan-web-import-'));
  try {
    // Two Dalad rows of the standard ledger case (the third lies in Ejin Horo, outside 150621).
    const lines = readFileSync(path.join(REPO, 'tests/cases/import/ok_standard.csv'), 'utf8').split(/\r?\n/);
    const good = path.join(dir, 'dalad-rights.csv');
    writeFileSync(good, `${lines.slice(0, 3).join('\n')}\n`);
    const { context, page } = await newPage(browser);
    await login(page, STAFF);
    await page.goto(`${server.url}/#/map`);
    await page.click(`${tid('import-panel')} summary`);
    await page.setInputFiles(tid('import-file'), good);
    await page.selectOption(tid('import-layer'), 'rights');
    await page.fill(tid('import-asof'), '2024-01-01');
    const before = Number(await page.locator(`${tid('layer-item-rights')} .layer-count`).innerText());
    await page.click(tid('import-submit'));
    await page.waitForSelector(`${tid('import-status')}[data-state]`, { timeout: 30_000 });
    assert.equal(await page.getAttribute(tid('import-status'), 'data-state'), 'done', await page.locator(tid('import-status')).innerText());
    assert.equal(await page.locator(tid('import-progress')).evaluate((el) => el.value), 1);
    assert.match(await page.locator(tid('import-summary')).innerText(), /新增 2/);
    // The layer list is read again: two more rights.
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="layer-item-rights"] .layer-count').textContent) === n + 2, before);
    await screenshot(page, '10-import-done');

    await page.setInputFiles(tid('import-file'), path.join(REPO, 'tests/cases/import/bad_date.csv'));
    await page.click(tid('import-submit'));
    await page.waitForFunction(() => document.querySelector('[data-testid="import-status"]').dataset.state === 'failed', null, { timeout: 30_000 });
    const text = await page.locator(tid('import-status')).innerText();
    assert.ok(text.startsWith('导入失败'), text);
    assert.ok((await page.locator(tid('import-problems')).innerText()).includes('有效期起'));
    await screenshot(page, '11-import-failed');
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('review: a polygon drawn on the map is sent as GeoJSON in EPSG:4490 and reviewed', async () => {
  const { context, page, problems } = await newPage(browser);
  await login(page, STAFF);
  await page.goto(`${server.url}/#/review`);
  await page.waitForSelector(`${tid('review-mineral')} option[value="建筑用砂"]`, { state: 'attached' });
  await page.selectOption(tid('review-jurisdiction'), '150621');
  await page.fill(tid('review-date'), '2023-06-01');
  await page.fill(tid('review-applicant'), '达拉特旗绘制测试有限公司');
  await page.selectOption(tid('review-mineral'), '建筑用砂');
  await page.fill(tid('review-scale'), '8');
  await page.fill(tid('review-service-years'), '6');
  // Centre the map on a spot in Dalad (lon 109.9, lat 40.2) at zoom 15.
  await page.evaluate(() => {
    const R = 6378137;
    const lon = 109.9, lat = 40.2;
    const view = window.mineplan.map.getView();
    view.setCenter([R * lon * Math.PI / 180, R * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))]);
    view.setZoom(15);
  });
  await page.waitForTimeout(300);
  await page.click(tid('review-draw-start'));
  const box = await page.locator(tid('map')).boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  await page.mouse.click(cx - 80, cy - 60);
  await page.mouse.click(cx + 80, cy - 60);
  await page.mouse.click(cx + 80, cy + 60);
  await page.mouse.dblclick(cx - 80, cy + 60);
  await page.waitForFunction(() => document.querySelector('[data-testid="review-draw-status"]').textContent.includes('已绘制 1 个地块'));
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/reviews') && r.method() === 'POST');
  await page.click(tid('review-submit'));
  const body = JSON.parse((await sent).postData());
  assert.equal(body.application.boundary.type, 'Polygon');
  assert.equal(body.application.boundary.crs, 4490);
  const ring = body.application.boundary.coordinates[0];
  assert.ok(ring.length >= 5 && ring.every(([x, y]) => Math.abs(x - 109.9) < 0.01 && Math.abs(y - 40.2) < 0.01), JSON.stringify(ring));
  await page.waitForSelector(tid('review-verdict'), { timeout: 30_000 });
  assert.ok(['通过', '有条件通过', '不通过'].includes(await page.locator(tid('review-verdict')).innerText()));
  assert.equal(await page.locator(`${tid('finding-row')}[data-rule="boundary"]`).count(), 1, 'the boundary finding');
  await page.waitForTimeout(600);
  await screenshot(page, '12-review-drawn');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('review: an uploaded exchange file in Dalad for 建筑用砂 gives a verdict, findings and an opinion', async () => {
  const { context, page, problems } = await newPage(browser);
  await login(page, STAFF);
  await page.click(tid('nav-review'));
  await page.waitForSelector(`${tid('review-jurisdiction')} option[value="150621"]`, { state: 'attached' });
  await page.waitForSelector(`${tid('review-mineral')} option[value="建筑用砂"]`, { state: 'attached' });
  await page.selectOption(tid('review-kind'), 'mining');
  await page.selectOption(tid('review-action'), 'new');
  await page.selectOption(tid('review-jurisdiction'), '150621');
  await page.fill(tid('review-date'), '2023-06-01');
  await page.fill(tid('review-applicant'), '达拉特旗测试砂石有限公司');
  await page.selectOption(tid('review-mineral'), '建筑用砂');
  assert.equal(await page.locator(tid('review-scale-unit')).inputValue(), '万立方米/年', 'the unit follows the mineral');
  await page.fill(tid('review-scale'), '4');
  await page.selectOption(tid('review-method'), 'open-pit');
  await page.fill(tid('review-service-years'), '6');
  await page.check(tid('review-condition-eia'));
  await page.check(tid('review-boundary-mode-file'));
  await page.setInputFiles(tid('review-boundary-file'), BOUNDARY);
  await page.click(tid('review-submit'));
  await page.waitForSelector(tid('review-verdict'), { timeout: 30_000 });

  const verdict = await page.locator(tid('review-verdict')).innerText();
  assert.ok(['通过', '有条件通过', '不通过'].includes(verdict), verdict);
  // 4万立方米/年 is below Dalad's 6万立方米/年 minimum for sand: rejected.
  assert.equal(verdict, '不通过');
  const rows = page.locator(tid('finding-row'));
  assert.ok(await rows.count() > 5, 'findings listed');
  const minScale = page.locator(`${tid('finding-row')}[data-rule="dalad-2021/ms-construction-sand"]`);
  assert.equal(await minScale.count(), 1);
  const text = await minScale.innerText();
  assert.ok(text.includes('不符合') && text.includes('专栏10'), text);
  assert.ok((await page.locator(tid('findings-table')).innerText()).includes('须核实'));
  // The boundary is drawn on the map and the view zoomed to it.
  await page.waitForFunction(() => window.mineplan.map.getView().getZoom() > 10);
  await page.waitForTimeout(800);
  await screenshot(page, '03-review-result');

  const [opinion] = await Promise.all([
    context.waitForEvent('page'),
    page.click(tid('review-opinion')),
  ]);
  await opinion.waitForLoadState('load');
  assert.match(new URL(opinion.url()).pathname, /^\/api\/reviews\/\d+\/opinion$/);
  assert.ok((await opinion.content()).includes('审查意见书'));
  await screenshot(opinion, '04-opinion');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('review: a 4xx answer is shown as a Chinese error with its field', async () => {
  const { context, page } = await newPage(browser);
  await login(page, STAFF);
  await page.goto(`${server.url}/#/review`);
  await page.waitForSelector(`${tid('review-mineral')} option[value="建筑用砂"]`, { state: 'attached' });
  await page.selectOption(tid('review-jurisdiction'), '150621');
  await page.fill(tid('review-date'), '2023-06-01');
  await page.fill(tid('review-applicant'), '测试公司');
  await page.selectOption(tid('review-mineral'), '建筑用砂');
  await page.fill(tid('review-scale'), '8');
  await page.selectOption(tid('review-scale-unit'), '万吨/年'); // sand is measured in 万立方米/年
  await page.click(tid('review-submit'));
  await page.waitForSelector(tid('review-error'), { state: 'visible', timeout: 20_000 });
  const err = await page.locator(tid('review-error')).innerText();
  assert.ok(err.startsWith('申请有误：'), err);
  assert.ok(err.includes('scale'), err);
  await screenshot(page, '05-review-error');
  await context.close();
});

test('dashboard: dalad-2021 targets as a table and bar charts', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/#/dashboard`);
  await page.waitForSelector(`${tid('plan-select')} option[value="dalad-2021"]`, { state: 'attached' });
  await page.selectOption(tid('plan-select'), 'dalad-2021');
  await page.waitForSelector(`${tid('target-row')}[data-target="mine-count"]`);
  assert.ok(await page.locator(tid('target-row')).count() >= 5);
  const row = await page.locator(`${tid('target-row')}[data-target="mine-count"]`).innerText();
  assert.ok(row.includes('78') && row.includes('68') && row.includes('专栏3'), row);
  const card = page.locator(`${tid('target-card')}[data-target="mine-count"]`);
  assert.equal(await card.locator('svg rect').count() >= 2, true, 'base and target bars');
  assert.ok(await page.locator(`${tid('targets-chart')} svg`).count() >= 5);
  // The register's value as of today, with a status the server computed.
  const status = await page.locator(`${tid('target-row')}[data-target="mine-count"] ${tid('target-status')}`).getAttribute('data-status');
  assert.ok(['met', 'on_track', 'at_risk', 'off_track', 'no_data'].includes(status), status);
  await screenshot(page, '06-dashboard-dalad');
  const [report] = await Promise.all([context.waitForEvent('page'), page.click(tid('open-report'))]);
  await report.waitForLoadState();
  assert.ok((await report.content()).includes('评估'), 'the evaluation report opens');
  await report.close();
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('lists: the green-mine list and notices are tables', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/#/lists`);
  await page.waitForSelector(tid('green-mines-table'));
  const text = await page.locator(tid('green-mines-table')).innerText();
  assert.ok(text.includes('矿山名称'), text.slice(0, 200));
  assert.ok(await page.locator(`${tid('green-mines-table')} tbody tr`).count() >= 10, 'the 48 green mines of Ejin Horo are listed');
  await page.waitForSelector(`${tid('notices-table')}, ${tid('notices-table-empty')}`);
  await screenshot(page, '07-lists');
  await context.close();
});

test('login with a wrong password shows 用户名或密码错误', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/#/login`);
  await page.fill(tid('login-username'), STAFF.username);
  await page.fill(tid('login-password'), 'wrong-password');
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('login-error'), { state: 'visible' });
  assert.equal(await page.locator(tid('login-error')).innerText(), '用户名或密码错误');
  assert.equal(await page.locator(tid('user-menu')).count(), 0);
  await screenshot(page, '08-login-error');
  await context.close();
});

test('too many failed logins show 尝试过多，请稍后再试 (429)', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/#/login`);
  await page.fill(tid('login-username'), 'nobody-here');
  let text = '';
  for (let i = 0; i < 8 && !text.startsWith('尝试过多'); i += 1) {
    await page.fill(tid('login-password'), `wrong-${i}`);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.click(tid('login-submit'));
    await answered;
    await page.waitForSelector(tid('login-error'), { state: 'visible' });
    text = await page.locator(tid('login-error')).innerText();
    if (!text.startsWith('尝试过多')) assert.equal(text, '用户名或密码错误');
  }
  assert.ok(text.startsWith('尝试过多，请稍后再试'), text);
  await screenshot(page, '13-login-throttled');
  await context.close();
});

// Today in the browser's zone, as the app computes it.
const pageToday = (page) => page.evaluate(() => {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
});

test('registry: county staff see the due list, a green mine\'s state and steps, take a step, see refusals; draws verify', async () => {
  const { context, page, problems } = await newPage(browser);
  await login(page, EJIN);
  const today = await pageToday(page);

  // A published inspection draw of this quarter (POST /api/registry/draws, with the session's CSRF token).
  const draw = await page.evaluate(async (date) => {
    const s = await (await fetch('/api/session')).json();
    const r = await fetch('/api/registry/draws', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
      body: JSON.stringify({ date, experts: ['专家甲', '专家乙', '专家丙', '专家丁'] }),
    });
    return { status: r.status, body: await r.json() };
  }, today);
  assert.equal(draw.status, 201, JSON.stringify(draw.body));

  // 待办事项: GET /api/due?as_of=today; the register's listed mines owe their disclosures.
  const dueReq = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/due');
  await page.goto(`${server.url}/#/lists`);
  const asOf = new URL((await dueReq).url()).searchParams.get('as_of');
  assert.equal(asOf, today, 'the due list is asked as of today');
  await page.waitForSelector(tid('due-table'));
  const dueText = await page.locator(tid('due-table')).innerText();
  for (const word of ['事项', '对象', '到期日', '绿色矿山年度信息公示']) assert.ok(dueText.includes(word), `due list shows ${word}`);
  const overdue = page.locator(tid('due-status-overdue'));
  assert.ok(await overdue.count() > 0, 'overdue items are flagged');
  assert.equal(await overdue.first().innerText(), '已逾期');
  const red = await page.locator(`${tid('due-table')} td.overdue`).first().evaluate((td) => getComputedStyle(td).color);
  assert.equal(red, 'rgb(183, 28, 28)', 'overdue rows are red');

  // Draws: the table and 校验 (GET /api/registry/draws/{id}/verify).
  await page.waitForSelector(tid('draws-table'));
  const drawRow = page.locator(`${tid('draws-table')} tbody tr`, { hasText: draw.body.id });
  assert.equal(await drawRow.count(), 1, `draw ${draw.body.id} listed`);
  const verified = page.waitForResponse((r) => r.url().includes('/verify'));
  await drawRow.locator(tid('draw-verify')).click();
  assert.equal((await verified).status(), 200);
  await page.waitForSelector(`${tid('draw-verify-result')} [data-ok="1"]`);
  assert.ok((await drawRow.locator(tid('draw-verify-result')).innerText()).includes('校验一致'));
  await screenshot(page, '15-due-draws');

  // A green mine's detail: state and (for its county's staff) the next steps.
  const uid = 'ejin-horo-green-2021/ejh-gm-03';
  const link = page.locator(`${tid('green-mine-link')}[data-uid="${uid}"]`);
  const name = await link.innerText();
  await link.click();
  await page.waitForSelector(tid('green-state'));
  assert.equal(new URL(page.url()).hash, '#/lists/green/ejin-horo-green-2021/ejh-gm-03');
  assert.equal(await page.locator(tid('green-detail-name')).innerText(), name);
  assert.equal(await page.locator(tid('green-state')).innerText(), '已纳入名录');
  await page.waitForSelector(tid('green-steps-empty'));
  const events = await page.locator(tid('next-step')).evaluateAll((bs) => bs.map((b) => b.dataset.event));
  for (const e of ['inspect_pass', 'change']) assert.ok(events.includes(e), `next step ${e} offered: ${events}`);
  // Only the caller's own steps: removal is the region's, disclosure the holder's.
  for (const e of ['remove', 'disclose']) assert.ok(!events.includes(e), `next step ${e} not offered to county staff: ${events}`);
  // The form's fields, labels and choices come from the lifecycle file through the API.
  await page.click(`${tid('next-step')}[data-event="inspect_fail"]`);
  assert.ok((await page.locator(tid('step-form')).innerText()).includes('检查发现的问题 *'));
  await page.fill(tid('step-field-draw'), '150627/2099-Q1');
  await page.fill(tid('step-field-findings'), '排土场未复绿');
  await page.click(tid('step-cancel'));

  // A change of scale: POST …/steps with X-CSRF-Token → 201; the state and the step are shown.
  await page.click(`${tid('next-step')}[data-event="change"]`);
  await page.selectOption(tid('step-field-change'), 'scale');
  const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/registry/green/ejin-horo-green-2021/ejh-gm-03/steps'));
  await page.click(tid('step-submit'));
  const req = await posted;
  assert.ok(req.headers()['x-csrf-token'], 'the step carries X-CSRF-Token');
  assert.deepEqual(JSON.parse(req.postData()), { event: 'change', date: today, change: 'scale' });
  await page.waitForSelector(tid('step-done'));
  assert.equal(await page.locator(tid('green-state')).innerText(), '变更后重新评估');
  const steps = await page.locator(tid('green-steps-table')).innerText();
  for (const word of [today, '变更矿区范围、开采方式或开采规模', '已纳入名录 → 变更后重新评估', EJIN.username, '旗县工作人员', '开采规模']) {
    assert.ok(steps.includes(word), `steps show ${word}: ${steps}`);
  }

  // Read again: the new state offers other steps (change is not allowed in reassessment).
  await page.evaluate(() => { location.reload(); });
  await page.waitForSelector(tid('green-state'));
  assert.equal(await page.locator(`${tid('next-step')}[data-event="change"]`).count(), 0, 'change is not offered in reassessment');
  await screenshot(page, '14-registry');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('registry: the public sees a listed mine\'s state without the step buttons and no due list', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(`${server.url}/#/lists`);
  await page.waitForSelector(tid('green-mines-table'));
  assert.equal(await page.locator(tid('due-section')).count(), 0, 'no due list for the public');
  // Legacy sites restored by the government, with the seeds' targets.
  await page.waitForSelector(tid('legacy-sites'));
  const legacy = await page.locator(tid('legacy-sites')).innerText();
  for (const word of ['盐池废弃采区', '二连浩特市', '治理验收通过（据规划文本）', '扎赉诺尔矿区地质环境治理工程']) assert.ok(legacy.includes(word), `legacy sites show ${word}`);
  assert.ok((await page.locator(tid('legacy-targets')).innerText()).includes('50 平方千米'));
  await page.goto(`${server.url}/#/lists/green/ejin-horo-green-2021/ejh-gm-05`);
  await page.waitForSelector(tid('green-state'));
  assert.equal(await page.locator(tid('green-state')).innerText(), '已纳入名录');
  assert.equal(await page.locator(tid('next-step')).count(), 0, 'no step buttons for the public');
  await page.goto(`${server.url}/#/lists/green/no-such/mine`);
  await page.waitForSelector(tid('green-detail-error'));
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('program: 19 zones, six categories and live figures; county staff open a rectification item; the public does not see who is responsible', async () => {
  const { context, page, problems } = await newPage(browser);
  await login(page, URAD);
  await page.goto(`${server.url}/#/lists`);
  await page.click(tid('program-link'));
  await page.waitForSelector(tid('program-zones'));
  assert.equal(new URL(page.url()).hash, '#/lists/program');
  assert.equal(await page.locator(`${tid('program-zones')} tbody tr`).count(), 19, 'the 19 consolidation zones of seed 003');
  assert.ok((await page.locator(tid('program-zones')).innerText()).includes('张佳花岗岩整合区'));
  assert.equal(await page.locator(`${tid('program-categories')} tbody tr`).count(), 6, 'the six categories');
  for (const word of ['整合重组', '淘汰关闭', '复工达产', '旗自然资源局']) {
    assert.ok((await page.locator(tid('program-categories')).innerText()).includes(word), `categories show ${word}`);
  }
  assert.ok(await page.locator(`${tid('program-figures')} tbody tr`).count() > 0, 'the program figures are computed');
  assert.ok((await page.locator(tid('program-phase')).innerText()).length > 0);
  await page.waitForSelector(tid('ledger-empty'));

  // A ledger item, opened through the form built from the lifecycle's fields.
  await page.click(tid('ledger-new'));
  await page.fill(tid('step-field-id'), 'ZG-2026-001');
  await page.fill(tid('step-field-name'), '张佳花岗岩整合区整合进度滞后');
  await page.fill(tid('step-field-issue'), '整合主体未确定');
  await page.fill(tid('step-field-responsible'), '王五');
  await page.fill(tid('step-field-standard'), '确定整合主体并签订协议');
  await page.fill(tid('step-field-deadline'), '2099-06-30');
  const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/registry/ledger/ZG-2026-001/steps'));
  await page.click(tid('step-submit'));
  const req = await posted;
  assert.ok(req.headers()['x-csrf-token'], 'the step carries X-CSRF-Token');
  assert.equal(JSON.parse(req.postData()).responsible, '王五');
  await page.waitForSelector(tid('step-done'));
  await page.waitForSelector(tid('ledger-table'));
  const staffText = await page.locator(tid('ledger-table')).innerText();
  for (const word of ['ZG-2026-001', '整合主体未确定', '王五', '2099-06-30', '整改中', '登记整改问题']) {
    assert.ok(staffText.includes(word), `staff see ${word}: ${staffText}`);
  }
  // Its next steps are the county's: follow-up and completion.
  const events = await page.locator(`${tid('ledger-next')} ${tid('next-step')}`).evaluateAll((bs) => bs.map((b) => b.dataset.event));
  assert.deepEqual(events.sort(), ['complete', 'follow_up']);

  // Actions per right: a right of the county, imported as a ledger row, is brought into the
  // program (category and zone chosen from the lifecycle's labels) and shows in its zone.
  const header = '许可证号,矿山名称,采矿权人,开采矿种,矿山规模,生产规模,规模单位,生产状态,开采方式,行政区代码,有效期起,有效期止,矿区面积,面积单位';
  const row = 'C1508242026000001,乌拉特中旗测试花岗岩矿,丙建材有限公司,花岗岩,小型,10,万立方米/年,生产,露天,150824,2026-01-01,2031-01-01,0.3,平方公里';
  const job = await page.evaluate(async (csv) => {
    const { csrf } = await (await fetch('/api/session')).json();
    const r = await fetch('/api/imports?layer=rights&as_of=2026-01-01&filename=urad.csv', {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrf }, body: csv,
    });
    const { job: id } = await r.json();
    for (let i = 0; i < 100; i += 1) {
      const j = await (await fetch(`/api/jobs/${id}`)).json();
      if (j.state === 'done' || j.state === 'failed') return j;
      await new Promise((ok) => { setTimeout(ok, 200); });
    }
    return { state: 'timeout' };
  }, `${header}\n${row}\n`);
  assert.equal(job.state, 'done', JSON.stringify(job));
  await page.reload();
  await page.waitForSelector(tid('program-rights'));
  const rightRow = page.locator(`${tid('program-rights')} tbody tr`, { hasText: '乌拉特中旗测试花岗岩矿' });
  assert.equal(await rightRow.count(), 1);
  assert.ok((await rightRow.innerText()).includes('未列入方案'));
  await rightRow.locator(`${tid('next-step')}[data-event="assign"]`).click();
  await page.selectOption(tid('step-field-action'), { label: '整合重组' });
  await page.selectOption(tid('step-field-zone'), { label: '张佳花岗岩整合区' });
  await page.click(tid('step-submit'));
  await page.waitForFunction(() => (document.querySelector('[data-testid="step-done"]') || {}).textContent === '已登记：列入方案（确定工作类别和整合区）');
  const assigned = await page.locator(`${tid('program-rights')} tbody tr`, { hasText: '乌拉特中旗测试花岗岩矿' }).innerText();
  for (const word of ['整合重组', '张佳花岗岩整合区', '已列入方案']) assert.ok(assigned.includes(word), `the right shows ${word}: ${assigned}`);
  const zone = await page.locator(`${tid('program-zones')} tbody tr`, { hasText: 'cz-07' }).innerText();
  assert.ok(zone.includes('（整合重组，已列入方案）'), zone);
  await screenshot(page, '16-program');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();

  // The public: the item, its deadline and state, not the responsible person nor the forms.
  const pub = await newPage(browser);
  await pub.page.goto(`${server.url}/#/lists/program`);
  await pub.page.waitForSelector(tid('ledger-table'));
  const pubText = await pub.page.locator(tid('ledger-table')).innerText();
  assert.ok(pubText.includes('整合主体未确定') && pubText.includes('2099-06-30'), pubText);
  assert.ok(!pubText.includes('王五'), 'the responsible person is not public');
  assert.equal(await pub.page.locator(tid('ledger-new')).count(), 0);
  assert.equal(await pub.page.locator(tid('next-step')).count(), 0);
  await pub.context.close();
});

test('restoration: the holder files the plan, accrues and uses the fund, reports areas; the public sees the areas, not the fund', async () => {
  const uid = 'ejin-horo-green-2021/ejh-gm-06';
  const { context, page, problems } = await newPage(browser);
  await login(page, HOLDER);
  // The session shows what the account is linked to: the mine, nothing else of its name.
  assert.equal(await page.locator(tid('user-licences')).innerText(), '关联矿业权 1 宗');
  assert.equal(await page.locator(tid('user-licences')).getAttribute('title'), uid);
  await page.goto(`${server.url}/#/lists/restoration/${uid}`);
  await page.waitForSelector(tid('restoration-state'));
  assert.equal(await page.locator(tid('restoration-state')).innerText(), '未编制方案');
  await page.waitForSelector(tid('restoration-years-empty'));

  // One step through its form; done when the page, read again, says so (labels of
  // data/lifecycles/restoration.json).
  const take = async (event, label, fill) => {
    await page.click(`${tid('next-step')}[data-event="${event}"]`);
    await page.waitForSelector(`${tid('step-form')}[data-event="${event}"]`);
    for (const [name, value] of Object.entries(fill)) await page.fill(tid(`step-field-${name}`), String(value));
    await page.click(tid('step-submit'));
    await page.waitForFunction((text) => {
      const done = document.querySelector('[data-testid="step-done"]');
      return done && done.textContent === text;
    }, `已登记：${label}`, { timeout: 10_000 });
  };
  await take('file_plan', '编制矿山地质环境保护与土地复垦方案', { plan_doc: '蒙泰满来梁煤矿矿山地质环境保护与土地复垦方案', area_ha: 120 });
  assert.equal(await page.locator(tid('restoration-state')).innerText(), '方案已编制，实施中');
  await take('annual_plan', '年度治理计划书', { year: 2025, plan_doc: '2025年度治理计划书' });
  await take('accrue', '计提治理恢复基金', { amount: 100 });
  await take('use', '使用治理恢复基金', { amount: 30, note: '排土场复绿' });
  await take('report_area', '年度报告：损毁与治理恢复面积', { year: 2025, damaged_ha: 4, restored_ha: 1.5 });
  await page.waitForSelector(tid('restoration-years'));
  assert.equal(await page.locator(tid('restoration-balance')).innerText(), '70');
  const fund = await page.locator(tid('restoration-fund-table')).innerText();
  for (const word of ['+100', '−30', '排土场复绿']) assert.ok(fund.includes(word), `fund shows ${word}: ${fund}`);
  const years = await page.locator(tid('restoration-years')).innerText();
  for (const word of ['2025', '4', '1.5', '2.5', '38%']) assert.ok(years.includes(word), `years show ${word}: ${years}`);
  assert.ok((await page.locator(tid('restoration-annual')).innerText()).includes('2025年度治理计划书'));
  assert.ok((await page.locator(tid('restoration-plan')).innerText()).startsWith('蒙泰满来梁煤矿矿山地质环境保护与土地复垦方案（治理面积 120 公顷'), 'the plan in force, not the annual plan');
  // Acceptance is the bureau's: the holder is offered the application, not the decision.
  const events = await page.locator(tid('next-step')).evaluateAll((bs) => bs.map((b) => b.dataset.event));
  assert.ok(events.includes('apply_acceptance') && !events.includes('accept') && !events.includes('reject'), `${events}`);
  await screenshot(page, '17-restoration');
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();

  const pub = await newPage(browser);
  await pub.page.goto(`${server.url}/#/lists/restoration/${uid}`);
  await pub.page.waitForSelector(tid('restoration-years'));
  assert.ok((await pub.page.locator(tid('restoration-totals')).innerText()).includes('尚未治理 2.5 公顷'));
  assert.equal(await pub.page.locator(tid('restoration-fund')).count(), 0, 'the fund is not public');
  assert.equal(await pub.page.locator(tid('next-step')).count(), 0);
  await pub.context.close();
});

test('registry: a register change of a listed mine\'s method moves it to re-assessment, shown as the system\'s step with its grounds', async () => {
  const uid = 'ejin-horo-green-2021/ejh-gm-08';
  const { context, page, problems } = await newPage(browser);
  await login(page, EJIN);
  // PATCH /api/mines/{uid} (as the bureau's register update would): the other method than now.
  const answer = await page.evaluate(async (id) => {
    const { csrf } = await (await fetch('/api/session')).json();
    const mines = await (await fetch('/api/mines?jurisdiction=150627')).json();
    const mine = mines.find((m) => m.uid === id);
    const method = mine && mine.method === 'underground' ? 'open-pit' : 'underground';
    const r = await fetch(`/api/mines/${id}`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ method, effective: new Date().toISOString().slice(0, 10) }),
    });
    return { status: r.status, body: await r.json() };
  }, uid);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.registry_steps.length, 1, JSON.stringify(answer.body.registry_steps));
  await page.goto(`${server.url}/#/lists/green/${uid}`);
  await page.waitForSelector(tid('green-steps-table'));
  assert.equal(await page.locator(tid('green-state')).innerText(), '变更后重新评估');
  const steps = await page.locator(tid('green-steps-table')).innerText();
  for (const word of ['系统（系统）', '已纳入名录 → 变更后重新评估', '开采方式']) assert.ok(steps.includes(word), `steps show ${word}: ${steps}`);
  assert.ok((await page.locator(tid('step-trigger')).innerText()).includes(`由 ${EJIN.username} 办理`));
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();

  // The public sees the re-assessment, not who made the change.
  const pub = await newPage(browser);
  await pub.page.goto(`${server.url}/#/lists/green/${uid}`);
  await pub.page.waitForSelector(tid('green-steps-table'));
  assert.equal(await pub.page.locator(tid('green-state')).innerText(), '变更后重新评估');
  const pubSteps = await pub.page.locator(tid('green-steps-table')).innerText();
  assert.ok(!pubSteps.includes(EJIN.username), pubSteps);
  assert.ok((await pub.page.locator(tid('step-trigger')).innerText()).includes('登记变更（开采方式）'));
  await pub.context.close();
});

test('legacy sites: region staff approve the project of a legacy site through its form; the public sees the state, not who', async () => {
  const { context, page, problems } = await newPage(browser);
  await login(page, REGION);
  await page.goto(`${server.url}/#/lists`);
  await page.waitForSelector(tid('legacy-sites'));
  const row = page.locator(`${tid('legacy-sites')} tbody tr`, { hasText: '乌海市矿区地质环境治理工程' });
  assert.ok((await row.innerText()).includes('已查明，待治理'));
  // Seed-restored sites offer nothing more; an identified one offers its project.
  const restored = page.locator(`${tid('legacy-sites')} tbody tr`, { hasText: '盐池废弃采区' });
  assert.equal(await restored.locator(tid('next-step')).count(), 0);
  await row.locator(`${tid('next-step')}[data-event="approve_project"]`).click();
  await page.fill(tid('step-field-project'), '乌海市矿山地质环境综合治理项目');
  await page.selectOption(tid('step-field-funding'), { label: '中央财政' });
  await page.fill(tid('step-field-amount'), '5000');
  await page.click(tid('step-submit'));
  await page.waitForFunction(() => (document.querySelector('[data-testid="step-done"]') || {}).textContent === '已登记：治理项目立项');
  const after = await page.locator(`${tid('legacy-sites')} tbody tr`, { hasText: '乌海市矿区地质环境治理工程' }).innerText();
  for (const word of ['已立项', '治理项目立项', REGION.username]) assert.ok(after.includes(word), `the site shows ${word}: ${after}`);
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();

  const pub = await newPage(browser);
  await pub.page.goto(`${server.url}/#/lists`);
  await pub.page.waitForSelector(tid('legacy-sites'));
  const pubRow = await pub.page.locator(`${tid('legacy-sites')} tbody tr`, { hasText: '乌海市矿区地质环境治理工程' }).innerText();
  assert.ok(pubRow.includes('已立项') && !pubRow.includes(REGION.username), pubRow);
  assert.equal(await pub.page.locator(tid('next-step')).count(), 0);
  await pub.context.close();
});

test('lists: the audit log\'s newest signed tree head is public, with the key\'s fingerprint', async () => {
  // The bureau signs a head with its key, kept outside the store (docs/audit.md).
  const keys = mkdtempSync(path.join(tmpdir(), 'mineplan-key-'));
  try {
    const key = path.join(keys, 'bureau.key');
    const headFile = path.join(keys, 'head.json');
    for (const args of [['audit-key', 'new', key], ['audit', server.db, '--sign', key, '--out', headFile]]) {
      const r = spawnSync(BIN, args, { encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    }
    const head = JSON.parse(readFileSync(headFile, 'utf8'));
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${server.url}/#/lists`);
    await page.waitForSelector(tid('audit-head'));
    assert.equal(await page.locator(tid('audit-head-size')).innerText(), String(head.tree_size));
    assert.equal(await page.locator(tid('audit-head-root')).innerText(), head.root_hash);
    assert.equal(await page.locator(tid('audit-head-time')).innerText(), head.timestamp);
    assert.equal(await page.locator(tid('audit-head-signature')).innerText(), head.signature);
    assert.equal(await page.locator(tid('audit-head-fingerprint')).innerText(), head.key_fingerprint);
    assert.equal(await page.locator(tid('audit-head-valid')).innerText(), '有效');
    await page.locator(tid('audit-head-section')).scrollIntoViewIfNeeded();
    await screenshot(page, '30-audit-head');
    assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
    await context.close();
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
});
