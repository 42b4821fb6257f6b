import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens may have the `agent` role: reads everything, secrets in resolved configurations included, writes nothing. */
export class AgentRole1795900000000 implements MigrationInterface {
  name = 'AgentRole1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_tokens DROP CONSTRAINT chk_api_tokens_role`);
    await queryRunner.query(`ALTER TABLE api_tokens ADD CONSTRAINT chk_api_tokens_role CHECK (role IN ('viewer', 'agent', 'editor', 'admin'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM api_tokens WHERE role = 'agent'`);
    await queryRunner.query(`ALTER TABLE api_tokens DROP CONSTRAINT chk_api_tokens_role`);
    await queryRunner.query(`ALTER TABLE api_tokens ADD CONSTRAINT chk_api_tokens_role CHECK (role IN ('viewer', 'editor', 'admin'))`);
  }
}
