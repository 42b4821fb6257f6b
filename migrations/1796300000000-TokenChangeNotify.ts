import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Instances keep the tokens they have verified in memory; a change that can make one invalid or
 * different (revoked, role or name changed, deleted, by the API or by hand) is announced on the
 * configuration channel as {"kind": "tokens"}, and every instance forgets what it holds.
 * `last_used_at` is not such a change, so its batched updates announce nothing.
 */
export class TokenChangeNotify1796300000000 implements MigrationInterface {
  name = 'TokenChangeNotify1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_notify_token_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', '{"kind":"tokens"}');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_api_tokens_notify_change
        AFTER UPDATE OF revoked_at, role, name, token_hash OR DELETE OR TRUNCATE ON api_tokens
        FOR EACH STATEMENT EXECUTE FUNCTION fn_notify_token_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_api_tokens_notify_change ON api_tokens`);
    await queryRunner.query(`DROP FUNCTION fn_notify_token_change()`);
  }
}
