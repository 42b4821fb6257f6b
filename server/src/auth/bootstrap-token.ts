import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_CONFIG } from './auth.constants.js';
import type { AuthConfig } from './auth.config.js';
import { TokensService } from './tokens.service.js';

/**
 * First start without SWITCHBOARD_ADMIN_TOKEN and without any active token: create an admin
 * token and print it once, straight to stdout and not through the logger, so it is not kept
 * by log shipping that filters on the logger's levels. It is never shown again.
 */
@Injectable()
export class BootstrapToken implements OnApplicationBootstrap {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly tokens: TokensService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken || this.config.createFirstToken === false) return;
    const secret = await this.tokens.createBootstrapToken();
    if (!secret) return;
    const origin = `http://127.0.0.1:${process.env.PORT || 3000}`;
    process.stdout.write(
      [
        '',
        '  No API token existed, so Switchboard created an admin token. It is shown this once:',
        '',
        `      ${secret}`,
        '',
        `  Use it as:   curl -H "Authorization: Bearer <token>" ${origin}/api/config/profiles`,
        `  Console:     ${origin}/ (sign in with it)   /docs: press "Authorize" and paste it.`,
        '  Then create named tokens (POST /api/auth/tokens) and revoke this one (DELETE /api/auth/tokens/{id}).',
        '',
      ].join('\n') + '\n',
    );
  }
}
