import type { OpenAPIObject } from '@nestjs/swagger';
import { REQUIRED_ROLE_EXTENSION } from './access.js';
import { problemResponse } from './problem-responses.js';

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Every operation that needs a token (all but those marked @Public(), whose security is `[{}]`)
 * documents the answers authentication and the write limit can give, and the least role it needs
 * (`x-switchboard-role`: @RequiresRole's, else the guard's default for the method).
 */
export function documentAccess(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const isPublic = operation.security?.length === 1 && Object.keys(operation.security[0]).length === 0;
      if (isPublic) continue;
      const statuses = WRITE_METHODS.has(method) ? [401, 403, 429] : [401, 403];
      const extensible = operation as unknown as Record<string, unknown>;
      extensible[REQUIRED_ROLE_EXTENSION] ??= WRITE_METHODS.has(method) ? 'editor' : 'viewer';
      for (const status of statuses) operation.responses[status] ??= problemResponse(status);
    }
  }
  return document;
}
