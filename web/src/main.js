// The portal: top bar, hash routes (#/map, #/review, #/dashboard/<plan>, #/lists,
// #/lists/green/<mine uid>, #/login),
// the session, and the views wired together.
import 'ol/ol.css';
import './style.css';

import { api } from './api.js';
import { $, $$ } from './dom.js';
import { session, loadSession, onSessionChange } from './session.js';
import { initMap, setLayers, initSearch, updateSize, refreshTiles } from './map.js';
import { initReview, loadReviewLists } from './review.js';
import { initDashboard, showDashboard } from './dashboard.js';
import { initLists, showLists } from './lists.js';
import { initLogin, initUserMenu } from './login.js';
import { initImports } from './imports.js';
import { loadVocabulary } from './labels.js';

const status = (text) => { $('#status-msg').textContent = text || ''; };
let lastRoute = '#/map';
let layersList = [];

async function loadLayers() {
  try {
    layersList = await api.layers();
    setLayers(layersList, session.user);
    status('');
  } catch (e) {
    status(`图层列表读取失败：${e.message}`);
  }
}

function show(view) {
  const mapwork = view === 'map' || view === 'review';
  $('#view-mapwork').hidden = !mapwork;
  $('#panel-map').hidden = view !== 'map';
  $('#panel-review').hidden = view !== 'review';
  $('#view-dashboard').hidden = view !== 'dashboard';
  $('#view-lists').hidden = view !== 'lists';
  $('#view-login').hidden = view !== 'login';
  for (const a of $$('.tabs a')) a.classList.toggle('active', a.dataset.view === view);
  document.body.dataset.view = view;
  if (mapwork) requestAnimationFrame(updateSize);
}

async function route() {
  const hash = location.hash || '#/map';
  const [, view = 'map', arg] = hash.match(/^#\/([^/]*)\/?(.*)$/) || [];
  if (view !== 'login') lastRoute = hash;
  switch (view) {
    case 'review':
      show('review');
      await loadReviewLists();
      break;
    case 'dashboard':
      show('dashboard');
      await showDashboard(arg ? decodeURIComponent(arg) : null);
      break;
    case 'lists':
      show('lists');
      await showLists(arg || '');
      break;
    case 'login':
      if (session.user) { location.hash = '#/map'; return; }
      show('login');
      login.focus();
      break;
    default:
      show('map');
  }
}

let login;

// The views, built once the vocabulary (labels and map symbology, GET /api/vocabulary) is in.
function init() {
  initMap($('#map'));
  initSearch($('#search-form'), $('#search-input'), $('#search-results'));
  initReview($('#panel-review'));
  initDashboard($('#view-dashboard'));
  initLists($('#view-lists'));
  initImports($('#import-host'), { onDone: () => loadLayers() }); // new counts; tiles refreshed
  initUserMenu($('#account'), { afterLogout: () => { location.hash = '#/map'; } });
  login = initLogin($('#view-login'), {
    afterLogin: () => { location.hash = lastRoute && !lastRoute.startsWith('#/login') ? lastRoute : '#/map'; },
  });

  // A new session may see other layers and other fields: reload the list and the tiles.
  let knownUser;
  onSessionChange(() => {
    const who = session.user ? `${session.user.username}|${session.user.role}` : '';
    if (knownUser === undefined) { knownUser = who; return; }
    if (who === knownUser) return;
    knownUser = who;
    loadLayers().then(() => refreshTiles());
  });
}

(async () => {
  try {
    await loadVocabulary();
  } catch (e) {
    status(`词汇表读取失败：${e.message}`);
  }
  init();
  window.addEventListener('hashchange', route);
  await loadSession();
  await loadLayers();
  await route();
  document.body.dataset.ready = '1';
})();
