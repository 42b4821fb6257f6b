import { Injectable } from '@nestjs/common';
import { BadRequestError, type FieldError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';
import { diffProfileDocuments, hasDifferences } from '../profiles/profile-diff.js';
import { toProfileDocument } from '../profiles/profile-document.js';
import { ProfileDocumentsService } from '../profiles/profile-documents.service.js';
import type { CompareQueryDto, ComparedSideDto, ProfileComparisonDto } from './dto/compare.dto.js';
import { HistoryService, refuseRegistryEntry } from './history.service.js';

type SideName = 'left' | 'right';

/** Two profiles, or a profile and a history entry's snapshot, field by field. */
@Injectable()
export class CompareService {
  constructor(
    private readonly history: HistoryService,
    private readonly documents: ProfileDocumentsService,
  ) {}

  async compare(query: CompareQueryDto): Promise<ProfileComparisonDto> {
    const errors = [...sideErrors(query, 'left'), ...sideErrors(query, 'right')];
    if (errors.length) throw new BadRequestError('Name each side of the comparison with exactly one id.', errors);
    const [left, right] = [await this.side(query, 'left'), await this.side(query, 'right')];
    const differences = diffProfileDocuments(left.document, right.document);
    return { left: left.side, right: right.side, identical: !hasDifferences(differences), differences };
  }

  private async side(query: CompareQueryDto, name: SideName): Promise<{ side: ComparedSideDto; document: ProfileDocumentDto }> {
    const profileId = query[`${name}_profile_id`];
    if (profileId !== undefined) {
      const document = await this.documents.document(profileId);
      return { side: { profile_id: profileId, entry_id: null, profile_name: document.name }, document };
    }
    const entry = await this.history.findEntry(query[`${name}_entry_id`]!);
    refuseRegistryEntry(entry, 'compared with a profile');
    if (!entry.snapshot) throw new UnprocessableError(`History entry ${entry.id} holds no snapshot to compare.`);
    return {
      side: { profile_id: entry.profileId, entry_id: Number(entry.id), profile_name: entry.profileName },
      document: toProfileDocument(entry.snapshot),
    };
  }
}

function sideErrors(query: CompareQueryDto, name: SideName): FieldError[] {
  const given = [query[`${name}_profile_id`], query[`${name}_entry_id`]].filter((id) => id !== undefined).length;
  return given === 1 ? [] : [{ field: `${name}_profile_id`, message: `give exactly one of ${name}_profile_id and ${name}_entry_id` }];
}
