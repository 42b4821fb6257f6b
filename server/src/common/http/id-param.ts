import { applyDecorators, Param, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { BadRequestError, NotFoundError } from '../errors/domain-errors.js';

const MAX_ID = 2_147_483_647; // PostgreSQL integer
/** History ids are bigint: as far as a JavaScript number holds them exactly. */
export const MAX_HISTORY_ID = Number.MAX_SAFE_INTEGER;

class IdPipe implements PipeTransform<string, number> {
  constructor(
    private readonly name: string,
    private readonly max: number,
  ) {}

  transform(value: string): number {
    if (!/^\d{1,16}$/.test(value)) throw new BadRequestError(`${this.name} must be a positive whole number, got "${value}".`);
    const id = Number(value);
    if (id < 1 || id > this.max) throw new NotFoundError(`No row has ${this.name} ${value}.`);
    return id;
  }
}

/** A numeric id from the path: 400 when it is not a number, 404 when no row could have it. */
export function IdParam(name: string): ParameterDecorator {
  return Param(name, new IdPipe(name, MAX_ID));
}

/** A history entry's id from the path (a bigint column). */
export function HistoryIdParam(name: string): ParameterDecorator {
  return Param(name, new IdPipe(name, MAX_HISTORY_ID));
}

export function ApiIdParam(name: string, description: string): MethodDecorator {
  return applyDecorators(ApiParam({ name, type: 'integer', description, example: 1 }));
}

/** An agent session's id from the path (`session_id`): 400 when it is not a UUID. */
export const SessionId = (): ParameterDecorator =>
  Param('session_id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError('session_id must be a UUID.') }));
export const ApiSessionId = (): MethodDecorator => ApiParam({ name: 'session_id', format: 'uuid', description: 'Agent session' });
