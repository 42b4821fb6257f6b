import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiAcceptedResponse } from '@nestjs/swagger';

export const PROPOSES_CHANGES_METADATA = 'switchboard:proposes-changes';

/**
 * On a profile that requires approval, this route's write by an editor becomes a change request
 * (202 with the request) instead of failing: the change-requests feature does it for marked routes.
 */
export const ProposesChanges = () =>
  applyDecorators(
    SetMetadata(PROPOSES_CHANGES_METADATA, true),
    ApiAcceptedResponse({
      description: 'The profile requires approval: the change was proposed as a change request (the body, also at Location), not made',
      // By reference: the change-requests feature defines the schema (its controllers put it in the document).
      schema: { $ref: '#/components/schemas/ChangeRequestDto' },
    }),
  );
