import type { SkippedFile } from "./domain/form-fields.ts";
import type { Locale, StaffLocale } from "./domain/locales.ts";
import type { Scope } from "./domain/scopes.ts";
import type { Role } from "./domain/workflow.ts";

/** A signed-in staff member (security/session.ts). */
export interface StaffMember {
  id: string;
  email: string;
  role: Role;
  /** The session's anti-forgery token, which every staff form carries (security/csrf.ts). */
  csrf?: string;
  /** The language of their pages (default English) and whether they get e-mail digests. */
  locale?: StaffLocale;
  mail?: boolean;
}

export { SCOPES, type Scope } from "./domain/scopes.ts";

/** A verified API token (security/token-auth.ts). */
export interface ApiToken {
  id: string;
  name: string;
  /** What it may do: what it was granted, within what its owner may do. */
  scopes: ReadonlySet<Scope>;
  /** The staff member it belongs to and acts as; null for tokens made before tokens had owners. */
  owner: { id: string; email: string; role: Role } | null;
}

/** Hono's environment: the Worker bindings (worker-configuration.d.ts) and per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    locale: Locale;
    staff: StaffMember | undefined;
    token: ApiToken | undefined;
    /** Files passed over in a public form post too large to take in whole (security/body-limits.ts). */
    skippedFiles: SkippedFile[] | undefined;
  };
}
