import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change requests: a profile may require approval (config_approval_rules); a change an editor
 * makes to it is then proposed instead (config_change_requests: the values, the versions they
 * were made against, and the diff), and another editor approves or rejects it. The database holds
 * the rules that matter: a decision is never the author's own, a rejection says why, and each
 * change of a request is announced to every instance (their change streams send it on).
 */
export class ChangeRequests1797500000000 implements MigrationInterface {
  name = 'ChangeRequests1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE config_approval_rules (
        profile_id integer PRIMARY KEY REFERENCES config_profiles (id) ON DELETE CASCADE,
        required_by varchar(255) NOT NULL,
        required_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE config_change_requests (
        id serial PRIMARY KEY,
        profile_id integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        "values" jsonb NOT NULL,
        base_versions jsonb NOT NULL,
        changes jsonb NOT NULL,
        message varchar(2000),
        status varchar(10) NOT NULL DEFAULT 'open',
        created_by varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by varchar(255),
        decided_at timestamptz,
        comment varchar(2000),
        CONSTRAINT chk_config_change_requests_status CHECK (status IN ('open', 'approved', 'rejected')),
        CONSTRAINT chk_config_change_requests_documents CHECK (jsonb_typeof("values") = 'object' AND jsonb_typeof(base_versions) = 'object' AND jsonb_typeof(changes) = 'object'),
        CONSTRAINT chk_config_change_requests_decided CHECK ((status = 'open') = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL)),
        CONSTRAINT chk_config_change_requests_not_own CHECK (decided_by IS NULL OR lower(decided_by) <> lower(created_by)),
        CONSTRAINT chk_config_change_requests_rejection_says_why CHECK (status <> 'rejected' OR btrim(coalesce(comment, '')) <> '')
      )`);
    await queryRunner.query(`CREATE INDEX idx_config_change_requests_status ON config_change_requests (status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_config_change_requests_profile ON config_change_requests (profile_id)`);
    await queryRunner.query(`
      CREATE FUNCTION fn_notify_change_request() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', json_build_object('kind', 'change_request', 'id', NEW.id, 'profile_id', NEW.profile_id, 'status', NEW.status)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_change_requests_notify AFTER INSERT OR UPDATE OF status ON config_change_requests
        FOR EACH ROW EXECUTE FUNCTION fn_notify_change_request()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE config_change_requests`);
    await queryRunner.query(`DROP FUNCTION fn_notify_change_request()`);
    await queryRunner.query(`DROP TABLE config_approval_rules`);
  }
}
