import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery you can see: each running instance registers itself and beats a heartbeat, records
 * when it applied each change it heard of, and agent sessions record the configuration they
 * applied. Runtime state, not configuration: not in backups, and no key into config_history (a
 * forced restore truncates the history; these rows age out on their own).
 */
export class InstanceRegistry1796800000000 implements MigrationInterface {
  name = 'InstanceRegistry1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE switchboard_instances (
        id uuid PRIMARY KEY,
        host varchar(255) NOT NULL,
        pid integer NOT NULL,
        version varchar(50) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        -- Its own interval: it counts as gone after missing three of its heartbeats.
        heartbeat_seconds integer NOT NULL DEFAULT 5,
        -- When it last re-read everything (its listener reconnected): it has every change before.
        resynced_at timestamptz,
        listener_connected boolean NOT NULL DEFAULT false,
        CONSTRAINT chk_instances_host CHECK (host <> ''),
        CONSTRAINT chk_instances_pid CHECK (pid > 0),
        CONSTRAINT chk_instances_heartbeat_seconds CHECK (heartbeat_seconds BETWEEN 1 AND 3600),
        CONSTRAINT chk_instances_heartbeat_after_start CHECK (heartbeat_at >= started_at)
      )`);
    await queryRunner.query(`CREATE INDEX idx_instances_heartbeat ON switchboard_instances (heartbeat_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE config_change_applied (
        history_id bigint NOT NULL,
        instance_id uuid NOT NULL REFERENCES switchboard_instances (id) ON DELETE CASCADE,
        applied_at timestamptz NOT NULL,
        PRIMARY KEY (history_id, instance_id),
        CONSTRAINT chk_change_applied_history_id CHECK (history_id > 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_change_applied_at ON config_change_applied (applied_at)`);
    await queryRunner.query(`CREATE INDEX idx_change_applied_instance ON config_change_applied (instance_id, history_id DESC)`);
    await queryRunner.query(`
      ALTER TABLE agent_sessions
        ADD COLUMN acked_etag varchar(100),
        ADD COLUMN acked_history_id bigint,
        ADD COLUMN acked_at timestamptz,
        ADD CONSTRAINT chk_agent_sessions_acked_history_id CHECK (acked_history_id > 0),
        ADD CONSTRAINT chk_agent_sessions_ack_whole CHECK ((acked_etag IS NULL) = (acked_at IS NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE agent_sessions DROP CONSTRAINT chk_agent_sessions_ack_whole, DROP CONSTRAINT chk_agent_sessions_acked_history_id, DROP COLUMN acked_at, DROP COLUMN acked_history_id, DROP COLUMN acked_etag`);
    await queryRunner.query(`DROP TABLE config_change_applied`);
    await queryRunner.query(`DROP TABLE switchboard_instances`);
  }
}
