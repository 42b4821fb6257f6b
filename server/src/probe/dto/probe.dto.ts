import { ApiProperty, PickType } from '@nestjs/swagger';
import { AiInfraConfigDto, LLM_SETTINGS_FIELDS, UpdateAiInfraDto } from '../../ai-infra/dto/ai-infra.dto.js';

/** Candidate settings: each field given replaces the stored one for the probe; nothing is saved. */
export class ProbeLlmDto extends PickType(UpdateAiInfraDto, LLM_SETTINGS_FIELDS) {}

/** The settings a probe tried, as the AI infrastructure shows them. */
export class ProbedSettingsDto extends PickType(AiInfraConfigDto, LLM_SETTINGS_FIELDS) {}

export class LlmProbeDto {
  @ApiProperty({ example: 12 })
  probe_id: number;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: true, description: 'The LLM answered with a completion' })
  ok: boolean;

  @ApiProperty({ type: ProbedSettingsDto, description: 'The settings tried (as they would be stored)' })
  settings: ProbedSettingsDto;

  @ApiProperty({ example: 412, description: 'Milliseconds until the answer, the error or the timeout' })
  latency_ms: number;

  @ApiProperty({ example: 2, nullable: true, type: Number, description: "Characters of the model's reply; null when it failed" })
  reply_chars: number | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'What went wrong upstream; null when it passed' })
  error: string | null;

  @ApiProperty({ example: 'alice' })
  probed_by: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  probed_at: string;

  @ApiProperty({
    example: '2026-11-26T12:15:00.000Z',
    nullable: true,
    type: String,
    description: 'A passing probe lets changes to exactly these settings through until then (profiles that require a probe); null when it failed',
  })
  valid_until: string | null;
}
