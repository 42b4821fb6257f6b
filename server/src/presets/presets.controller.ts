import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { PresetDto, SavePresetDto } from './dto/preset.dto.js';
import { PresetsService } from './presets.service.js';

@ApiTags('presets')
@Controller('api/config/presets')
export class PresetsController {
  constructor(private readonly presets: PresetsService) {}

  @Get()
  @ApiOperation({ summary: 'Presets to create a profile from (POST /api/config/profiles with preset): the shipped ones, then those admins saved' })
  @ApiOkResponse({ type: [PresetDto] })
  listPresets(): Promise<PresetDto[]> {
    return this.presets.list();
  }

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: "Save a profile document (an export's profile) as a preset" })
  @ApiCreatedResponse({ type: PresetDto })
  @ApiProblems(400, 409, 413, 422)
  savePreset(@Body() request: SavePresetDto, @Actor() actor: string): Promise<PresetDto> {
    return this.presets.save(request, actor);
  }

  @Delete(':name')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a saved preset (shipped ones cannot be: 409); profiles made from it keep their values' })
  @ApiParam({ name: 'name', description: 'Preset name (any case)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(404, 409)
  async deletePreset(@Param('name') name: string): Promise<void> {
    await this.presets.remove(name);
  }
}
