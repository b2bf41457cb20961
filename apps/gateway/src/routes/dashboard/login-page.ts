import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** The sign-in page: one field for a memgate key, posted to `/dashboard/login`. */
export function renderLoginPage({ error }: { readonly error?: string } = {}): HtmlEscapedString {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>memgate — sign in</title><link rel="stylesheet" href="/dashboard/assets/dashboard.css"></head>
<body>
<form class="login" method="post" action="/dashboard/session">
  <h1>memgate dashboard</h1>
  <p>Sign in with a memgate key that holds <code>provider:view_metrics</code>. The key stays on the gateway; your browser keeps only a session cookie.</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <label for="key">Key</label>
  <input id="key" name="key" type="password" autocomplete="off" required autofocus>
  <button type="submit">Sign in</button>
</form>
</body>
</html>` as HtmlEscapedString;
}
