// fetch options for calls to the plugin's routes, equal to what mattermost-redux's
// Client4.getOptions produces for a browser session: X-Requested-With, the X-CSRF-Token from the
// MMCSRF cookie on every non-GET (with StrictCSRFEnforcement, the v11 default, a POST without it
// reaches the plugin unauthenticated and is refused), cookies included, JSON content type.
// Written out rather than imported because Client4 would add ~70 KB to the bundle for these few
// lines, and a bundled Client4 is a separate instance that only ever reads the cookie anyway;
// request_options.test.ts checks the two stay equal.

export function csrfFromCookie(cookie: string): string {
  for (const part of cookie.split(';')) {
    const c = part.trim();
    if (c.startsWith('MMCSRF=')) return c.slice('MMCSRF='.length);
  }
  return '';
}

export function requestOptions(method: string, body?: string, cookie: string = typeof document === 'undefined' ? '' : document.cookie): RequestInit {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
  const csrf = csrfFromCookie(cookie);
  if (method.toLowerCase() !== 'get' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'include' };
  if (body !== undefined) init.body = body;
  return init;
}
