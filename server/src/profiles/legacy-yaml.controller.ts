import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { BodyLimit } from '../common/http/body-limit.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ImportLegacyYamlDto, LegacyYamlImportDto } from './dto/legacy-yaml.dto.js';
import { PROFILE_DOCUMENT_MAX_BYTES } from './profile-document.js';
import { ProfileDocumentsService } from './profile-documents.service.js';

@ApiTags('profiles')
@Controller('api/config/import')
export class LegacyYamlController {
  constructor(private readonly documents: ProfileDocumentsService) {}

  @Post('yaml')
  @HttpCode(201)
  @BodyLimit(PROFILE_DOCUMENT_MAX_BYTES)
  @ApiOperation({
    summary:
      "The slide generator's config.yaml, mlflow.yaml and prompts.yaml (seed 001) as a new profile, checked as any import (422 names file and key), audited, optionally made default; dry_run answers 200 and writes nothing",
  })
  @ApiCreatedResponse({ type: LegacyYamlImportDto })
  @ApiOkResponse({ type: LegacyYamlImportDto, description: 'dry_run: what would be imported, with the warnings' })
  @ApiProblems(400, 409, 413, 422)
  async importLegacyYaml(@Body() body: ImportLegacyYamlDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<LegacyYamlImportDto> {
    const { config_yaml, mlflow_yaml, prompts_yaml } = body;
    const result = await this.documents.importLegacyYaml({ config_yaml, mlflow_yaml, prompts_yaml }, { name: body.name, setDefault: body.set_default, dryRun: body.dry_run }, actor);
    if (result.profile) reply.header('location', `/api/config/profiles/${result.profile.id}`);
    else reply.status(200);
    return { profile: result.profile, dry_run: !!body.dry_run, warnings: result.warnings };
  }
}
