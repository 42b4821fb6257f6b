import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, Max, Min } from 'class-validator';

export const BULK_DELETE_MAX = 100;

export class BulkDeleteProfilesDto {
  @ApiProperty({ type: [Number], example: [4, 7, 9], description: `Profile ids, 1 to ${BULK_DELETE_MAX}, each deleted as DELETE /api/config/profiles/{id} would` })
  @IsArray({ message: 'ids must be a list of profile ids' })
  @ArrayMinSize(1, { message: 'ids must name at least one profile' })
  @ArrayMaxSize(BULK_DELETE_MAX, { message: `ids must name at most ${BULK_DELETE_MAX} profiles` })
  @ArrayUnique({ message: 'ids must not repeat a profile' })
  @IsInt({ each: true, message: 'each id must be a whole number' })
  @Min(1, { each: true, message: 'each id must be at least 1' })
  @Max(2_147_483_647, { each: true, message: 'each id must be at most 2147483647' })
  ids: number[];
}

export class BulkDeleteItemDto {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({
    enum: [204, 403, 404, 409, 503],
    description: 'What DELETE /api/config/profiles/{id} answered for this one: 204 deleted, 403 not yours to change (a viewer grant on it), 404 missing, 409 refused, 503 not deleted because the database was unreachable or busy (send it again)',
  })
  status: 204 | 403 | 404 | 409 | 503;

  @ApiProperty({ example: 'Profile "default" is the default profile; set another profile as default before deleting it.', nullable: true, type: String })
  detail: string | null;
}

export class BulkDeleteResultDto {
  @ApiProperty({ example: 2 })
  deleted: number;

  @ApiProperty({ example: 1 })
  refused: number;

  @ApiProperty({ type: [BulkDeleteItemDto], description: 'One result per id, in the order given' })
  results: BulkDeleteItemDto[];
}
