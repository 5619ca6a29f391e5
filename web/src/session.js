// The signed-in user (GET /api/session) and who is told when it changes.
import { api, setCsrf } from './api.js';

export const session = { user: null, csrf: null };
const listeners = [];

export function onSessionChange(fn) { listeners.push(fn); }

export function applySession(data) {
  session.user = (data && data.user) || null;
  session.csrf = (data && data.csrf) || null;
  setCsrf(session.csrf);
  for (const fn of listeners) {
    try { fn(session); } catch (e) { console.error(e); }
  }
}

export async function loadSession() {
  try {
    applySession(await api.session());
  } catch (e) {
    console.warn('session', e);
    applySession(null);
  }
  return session;
}

export const isStaff = () => !!session.user && /_staff$/.test(session.user.role || '');
export const isSignedIn = () => !!session.user;
