/**
 * The line the service logs at start saying who may call it, so "security is off" is never a
 * surprise. URLs are shown without any credentials they embed.
 */
import type { AuthenticatorKind } from './identity.js';

/** What the notice describes. */
export interface StartupNoticeOptions {
  readonly authenticatorKind: AuthenticatorKind;
  readonly host: string;
  readonly tls: boolean;
  readonly opensearchUrl?: string | undefined;
  readonly usersFile?: string | undefined;
  readonly allowInsecureBind?: boolean;
}

/** One human-readable sentence (or two) about authentication and transport. */
export function startupNotice(options: StartupNoticeOptions): string {
  const transport = options.tls ? 'HTTPS only' : 'plain HTTP (no TLS_CERT_FILE/TLS_KEY_FILE)';
  switch (options.authenticatorKind) {
    case 'cluster': {
      const ignored =
        options.usersFile === undefined
          ? ''
          : ' USERS_FILE is ignored while the cluster checks callers.';
      return `authentication: delegated to the OpenSearch cluster at ${withoutCredentials(options.opensearchUrl)} (security plugin authinfo); ${transport}.${ignored}`;
    }
    case 'users_file':
      return `authentication: users file ${options.usersFile ?? '(unnamed)'} (HTTP Basic and API keys); ${transport}.`;
    case 'none': {
      const exposure = options.allowInsecureBind
        ? `listening on ${options.host} with ALLOW_INSECURE_BIND=true: anyone who can reach this port has full access`
        : `listening on loopback (${options.host}) only`;
      return `security is OFF: no authentication (set USERS_FILE, or OPENSEARCH_URL to a cluster with the security plugin); ${exposure}; ${transport}.`;
    }
  }
}

function withoutCredentials(url: string | undefined): string {
  if (url === undefined) return '(OPENSEARCH_URL unset)';
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(OPENSEARCH_URL unparsable)';
  }
}
