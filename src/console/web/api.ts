/** The page's calls to the console's JSON API; errors carry the server's message. */

/** Where the page keeps the viewer's token for this browser session (never in localStorage). */
export const TOKEN_KEY = 'flowstate.token';

/** GET a JSON route; rejects with the server's `error` message. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return answer<T>(res);
}

/** POST JSON with the session's token as `Authorization: Bearer` when there is one. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return answer<T>(res);
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw new Error((json as { error?: string }).error ?? `HTTP ${res.status}`);
  return json as T;
}

/** A link within the page: history navigation without a reload. */
export function navigate(to: string): void {
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}
