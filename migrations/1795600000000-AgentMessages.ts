import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The conversation of each agent session, in the database so that any instance can serve the
 * next message. It goes with its session.
 */
export class AgentMessages1795600000000 implements MigrationInterface {
  name = 'AgentMessages1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agent_messages (
        id         bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES agent_sessions (id) ON DELETE CASCADE,
        role       varchar(10) NOT NULL CONSTRAINT chk_agent_messages_role CHECK (role IN ('user', 'assistant')),
        content    text NOT NULL CONSTRAINT chk_agent_messages_content_length CHECK (char_length(content) <= 1000000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_agent_messages_session ON agent_messages (session_id, id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE agent_messages`);
  }
}
