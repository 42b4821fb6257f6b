import type { AppConfig } from '../common/config/app-config.js';
import { createValidationPipe } from '../common/validation/validation-pipe.js';
import { CreateApiTokenDto } from '../auth/dto/token.dto.js';
import { TokensService } from '../auth/tokens.service.js';
import { cliActor, withServices } from './cli-commands.js';
import { CliFailure, type CliOutput, EXIT } from './cli-output.js';

/** A named token with a role; its secret is printed this once, as `POST /api/auth/tokens` answers it. */
export async function createToken(config: AppConfig, out: CliOutput, options: { name: string; role: string }): Promise<void> {
  const request = (await createValidationPipe(false).transform(options, { type: 'body', metatype: CreateApiTokenDto })) as CreateApiTokenDto;
  const created = await withServices(config, out, (app) => app.get(TokensService).create(request, cliActor()));
  out.result(created, [
    `token ${created.id} "${created.name}" (${created.role}) created. Its secret, shown only now:`,
    `  ${created.token}`,
  ]);
}

export async function listTokens(config: AppConfig, out: CliOutput): Promise<void> {
  const tokens = await withServices(config, out, (app) => app.get(TokensService).list());
  const width = Math.max(4, ...tokens.map((token) => token.name.length));
  out.result(tokens, [
    `${'id'.padStart(5)}  ${'name'.padEnd(width)}  role     prefix      state`,
    ...tokens.map(
      (token) =>
        `${String(token.id).padStart(5)}  ${token.name.padEnd(width)}  ${token.role.padEnd(7)}  ${token.token_prefix.padEnd(10)}  ${token.revoked_at ? `revoked ${token.revoked_at}` : 'active'}`,
    ),
    `${tokens.length} token(s), ${tokens.filter((token) => !token.revoked_at).length} active.`,
  ]);
}

/** Every instance forgets the token within the notification latency (the database announces it). */
export async function revokeToken(config: AppConfig, out: CliOutput, id: string): Promise<void> {
  if (!/^[1-9]\d{0,9}$/.test(id)) throw new CliFailure(`"${id}" is not a token id (a positive integer; see switchboard tokens list).`, EXIT.usage);
  const revoked = await withServices(config, out, (app) => app.get(TokensService).revoke(Number(id), cliActor()));
  out.result(revoked, [`token ${revoked.id} "${revoked.name}" revoked.`]);
}
