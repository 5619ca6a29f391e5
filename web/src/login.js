// 登录 and the user menu (display name, role in Chinese, 退出).
import { api, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { ROLE } from './labels.js';
import { session, applySession, onSessionChange } from './session.js';

export function loginMessage(err) {
  if (err instanceof ApiError) {
    if (err.status === 401) return '用户名或密码错误';
    if (err.status === 429) {
      const s = Number(err.retryAfter);
      return Number.isFinite(s) && s > 0 ? `尝试过多，请稍后再试（约 ${Math.ceil(s / 60)} 分钟后）` : '尝试过多，请稍后再试';
    }
    if (err.status === 0) return err.message;
    return `登录失败：${err.message}`;
  }
  return `登录失败：${err.message}`;
}

export function initLogin(viewEl, { afterLogin }) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, 'data-testid': 'login-username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const error = h('div', { class: 'error-box', 'data-testid': 'login-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, '登录');
  const form = h('form', { class: 'login-form', 'data-testid': 'login-form' },
    h('h2', {}, '登录'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '用户名'), username),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '密码'), password),
    error,
    h('div', { class: 'actions' }, submit),
    h('p', { class: 'muted small' }, '自然资源部门工作人员、审查员和矿业权人登录后可提交规划审查；公众无需登录即可浏览公开图层和名录。'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!username.value.trim() || !password.value) {
      error.textContent = '请输入用户名和密码';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      const data = await api.login(username.value.trim(), password.value);
      password.value = '';
      // The answer is like GET /api/session; read the session again if it is not.
      applySession(data && data.user ? data : await api.session());
      afterLogin();
    } catch (err) {
      error.textContent = loginMessage(err);
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  clear(viewEl, form);
  return { focus: () => username.focus() };
}

export function initUserMenu(el, { afterLogout }) {
  const render = () => {
    clear(el);
    const u = session.user;
    if (!u) {
      el.append(h('a', { href: '#/login', class: 'login-link', 'data-testid': 'nav-login' }, '登录'));
      return;
    }
    el.append(h('div', { class: 'user-menu', 'data-testid': 'user-menu' },
      h('span', { class: 'user-name', 'data-testid': 'user-display-name' }, u.display_name || u.username),
      h('span', { class: 'user-role', 'data-testid': 'user-role' }, ROLE[u.role] || u.role_name || u.role),
      u.jurisdiction_name ? h('span', { class: 'user-jur muted' }, u.jurisdiction_name) : null,
      u.holder && u.role === 'holder' ? h('span', { class: 'user-jur muted' }, u.holder) : null,
      // A holder acts on the rights linked to the account, not on every right of its name.
      u.role === 'holder' ? h('span', {
        class: 'user-jur muted', 'data-testid': 'user-licences',
        title: (u.licences || []).join('、') || '尚未关联矿业权',
      }, `关联矿业权 ${(u.licences || []).length} 宗`) : null,
      h('button', {
        type: 'button', class: 'link', 'data-testid': 'logout',
        onclick: async () => {
          try { await api.logout(); } catch (e) { console.warn('logout', e); }
          applySession(null);
          afterLogout();
        },
      }, '退出')));
  };
  onSessionChange(render);
  render();
}
