import type { MigrationInterface, QueryRunner } from 'typeorm';
import { profileDetailFunction } from './1796100000000-ProfileDetailFunction.js';

/**
 * Probe before apply: each probe of a profile's LLM settings is recorded (who, when, the settings
 * tried, the outcome), so that any instance can tell whether a change has a fresh passing probe;
 * and a profile's AI infrastructure can require one (`require_probe`), part of its values like
 * any other field (audited, exported, restored, in every snapshot).
 */
export class LlmProbes1797000000000 implements MigrationInterface {
  name = 'LlmProbes1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_ai_infra ADD COLUMN require_probe boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE llm_probes (
        id bigserial PRIMARY KEY,
        profile_id integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        settings jsonb NOT NULL,
        ok boolean NOT NULL,
        latency_ms integer NOT NULL,
        reply_chars integer,
        error varchar(500),
        probed_by varchar(255) NOT NULL,
        probed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_llm_probes_settings CHECK (jsonb_typeof(settings) = 'object'),
        CONSTRAINT chk_llm_probes_latency CHECK (latency_ms >= 0),
        -- A passing probe has a reply and no error; a failed one an error and no reply.
        CONSTRAINT chk_llm_probes_outcome CHECK (CASE WHEN ok THEN reply_chars >= 0 AND error IS NULL ELSE reply_chars IS NULL AND error <> '' END)
      )`);
    await queryRunner.query(`CREATE INDEX idx_llm_probes_profile_time ON llm_probes (profile_id, probed_at DESC)`);
    await queryRunner.query(profileDetailFunction({ replace: true, requireProbe: true }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(profileDetailFunction({ replace: true, requireProbe: false }));
    await queryRunner.query(`DROP TABLE llm_probes`);
    await queryRunner.query(`ALTER TABLE config_ai_infra DROP COLUMN require_probe`);
  }
}
