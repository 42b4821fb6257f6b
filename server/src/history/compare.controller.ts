import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/http/problem-responses.js';
import { CompareService } from './compare.service.js';
import { CompareQueryDto, ProfileComparisonDto } from './dto/compare.dto.js';

@ApiTags('history')
@Controller('api/config/compare')
export class CompareController {
  constructor(private readonly comparison: CompareService) {}

  @Get()
  @ApiOperation({ summary: "Two profiles, or a profile and a history entry's snapshot, field by field per domain (Genie spaces by space_id)" })
  @ApiOkResponse({ type: ProfileComparisonDto })
  @ApiProblems(400, 404, 422)
  compareProfiles(@Query() query: CompareQueryDto): Promise<ProfileComparisonDto> {
    return this.comparison.compare(query);
  }
}
