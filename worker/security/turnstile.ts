/**
 * Optional Cloudflare Turnstile on the public form: on when both the site
 * key (var) and the secret are set. The check runs in the browser (it needs
 * JavaScript, so it is off by default: people with scripts off could not
 * send the form); the server verifies the token it yields, sending Cloudflare
 * the token and nothing about the person (no `remoteip`).
 */
export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";
export const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;

/** The bot check as the form page needs it, when this deployment has one. */
export function turnstileWidget(env: Env): { siteKey: string; script: string } | undefined {
  const siteKey = turnstileSiteKey(env);
  return siteKey ? { siteKey, script: TURNSTILE_SCRIPT } : undefined;
}

export function turnstileSiteKey(env: Env): string | undefined {
  const secret = (env as { TURNSTILE_SECRET?: string }).TURNSTILE_SECRET;
  return env.TURNSTILE_SITE_KEY && secret ? env.TURNSTILE_SITE_KEY : undefined;
}

export async function verifyTurnstile(env: Env, token: string): Promise<boolean> {
  const secret = (env as { TURNSTILE_SECRET?: string }).TURNSTILE_SECRET ?? "";
  if (!token) return false;
  const res = await fetch(`${TURNSTILE_ORIGIN}/turnstile/v0/siteverify`, {
    method: "POST",
    body: new URLSearchParams({ secret, response: token }),
  });
  if (!res.ok) return false;
  return ((await res.json()) as { success?: boolean }).success === true;
}
