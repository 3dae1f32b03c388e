/**
 * The security plugin's `GET /_plugins/_security/authinfo` answer, read into a caller identity.
 * Only the fields identity needs are checked; the plugin adds others (tenants, remote_address, ...).
 */
import { compileSchema } from '../../schemas/ajv.js';
import { clusterProblem } from './auth-errors.js';
import { hasAdminRole, type CallerIdentity } from './identity.js';

interface AuthInfoBody {
  user_name: string;
  backend_roles: string[];
  roles: string[];
}

const validateAuthInfo = compileSchema<AuthInfoBody>({
  type: 'object',
  required: ['user_name'],
  properties: {
    user_name: { type: 'string', minLength: 1 },
    backend_roles: { type: 'array', items: { type: 'string' }, default: [] },
    roles: { type: 'array', items: { type: 'string' }, default: [] },
  },
});

/** The caller an authinfo body describes; a body of another shape is a 502 (the cluster misbehaves, not the caller). */
export function identityFromAuthInfo(body: unknown): CallerIdentity {
  // Validated on a shallow copy: ajv's defaults must not write into the caller's object.
  const copy =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body } : body;
  if (!validateAuthInfo(copy)) {
    throw clusterProblem(
      502,
      'its authinfo answer has no user_name, or backend_roles/roles that are not string lists',
    );
  }
  return {
    name: copy.user_name,
    backendRoles: [...copy.backend_roles],
    roles: [...copy.roles],
    isAdmin: hasAdminRole(copy.roles),
  };
}
