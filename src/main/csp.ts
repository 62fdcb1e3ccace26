/**
 * The dashboard's Content-Security-Policy, the same for the headless server's responses and Electron's app://
 * pages: the page loads its own files only, talks to its own origin only, and may not be framed or post forms.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
