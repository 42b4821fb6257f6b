import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-profile permissions: a token (by id, so that a new token reusing a revoked one's name gets
 * none of its grants) or a proxy user (by lower-case e-mail) holds `editor` or `viewer` on one
 * profile, besides its global role. Grants go with their profile or token. Instances keep the
 * grants of the principals they verified in memory, so a change of grants (by the API or by hand)
 * is announced like a change of tokens, and every instance forgets what it holds.
 */
export class ProfileGrants1797400000000 implements MigrationInterface {
  name = 'ProfileGrants1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profile_grants (
        id serial PRIMARY KEY,
        profile_id integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        token_id integer REFERENCES api_tokens (id) ON DELETE CASCADE,
        user_email varchar(254),
        role varchar(10) NOT NULL,
        granted_by varchar(255) NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_profile_grants_role CHECK (role IN ('viewer', 'editor')),
        CONSTRAINT chk_profile_grants_one_principal CHECK (num_nonnulls(token_id, user_email) = 1),
        CONSTRAINT chk_profile_grants_user_email CHECK (user_email = lower(user_email) AND user_email ~ '^[^@\\s]+@[^@\\s]+$')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_profile_grants_token ON profile_grants (token_id, profile_id) WHERE token_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_profile_grants_user ON profile_grants (user_email, profile_id) WHERE user_email IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX idx_profile_grants_profile ON profile_grants (profile_id)`);
    await queryRunner.query(`
      CREATE TRIGGER trg_profile_grants_notify_change
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON profile_grants
        FOR EACH STATEMENT EXECUTE FUNCTION fn_notify_token_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE profile_grants`);
  }
}
