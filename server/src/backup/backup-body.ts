import type { FastifyInstance } from 'fastify';
import { UnsupportedMediaTypeError } from '../common/errors/domain-errors.js';
import { BACKUP_MEDIA_TYPE } from './backup-format.js';

export const RESTORE_ROUTE = '/api/admin/restore';

/**
 * Gives the restore route its body as the stream it arrives as, so that a backup of any size is
 * read a line at a time and never held whole. Every other route still takes JSON only.
 */
export function registerBackupBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(BACKUP_MEDIA_TYPE, (request, payload, done) => {
    if (request.routeOptions.url === RESTORE_ROUTE) return done(null, payload);
    done(new UnsupportedMediaTypeError('Send the request body as application/json.'), undefined);
  });
}
