import { QueryIntegerField } from '../common/validation/fields.js';

export class StreamQueryDto {
  @QueryIntegerField({ description: 'Only changes of this profile', example: 1, min: 1 })
  profile_id?: number;

  @QueryIntegerField({ description: 'Same as the Last-Event-ID header, for clients that cannot set headers', example: 42, min: 0 })
  last_event_id?: number;
}
