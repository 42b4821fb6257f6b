import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens: only a SHA-256 hash of each secret is stored, with a name, a role and who created
 * and revoked it. Active names are unique (case-insensitive); a revoked token stays revoked and
 * its hash never changes, whoever writes (the API or hand-written SQL).
 */
export class ApiTokens1764100000000 implements MigrationInterface {
  name = 'ApiTokens1764100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id           serial PRIMARY KEY,
        name         varchar(100) NOT NULL CONSTRAINT chk_api_tokens_name_not_blank CHECK (btrim(name) <> ''),
        role         varchar(10) NOT NULL CONSTRAINT chk_api_tokens_role CHECK (role IN ('viewer', 'editor', 'admin')),
        token_hash   char(64) NOT NULL CONSTRAINT chk_api_tokens_token_hash CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        token_prefix varchar(16) NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   varchar(255),
        last_used_at timestamptz,
        revoked_at   timestamptz,
        revoked_by   varchar(255)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_api_tokens_token_hash ON api_tokens (token_hash)`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_api_tokens_active_name_ci ON api_tokens (lower(name)) WHERE revoked_at IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION fn_api_tokens_revocation_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
          RAISE EXCEPTION 'api token % is revoked; revocation is final', OLD.id
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'trg_api_tokens_revocation_final';
        END IF;
        IF NEW.token_hash IS DISTINCT FROM OLD.token_hash THEN
          RAISE EXCEPTION 'the hash of api token % cannot change; create a new token', OLD.id
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'trg_api_tokens_revocation_final';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_api_tokens_revocation_final BEFORE UPDATE ON api_tokens
      FOR EACH ROW EXECUTE FUNCTION fn_api_tokens_revocation_final()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP FUNCTION fn_api_tokens_revocation_final()`);
  }
}
