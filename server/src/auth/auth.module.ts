import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONFIG } from './auth.constants.js';
import type { AuthConfig } from './auth.config.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { BootstrapToken } from './bootstrap-token.js';
import { PermissionGate } from './permission-gate.listener.js';
import { ProfileGrantsController } from './profile-grants.controller.js';
import { ProfileGrantsService } from './profile-grants.service.js';
import { TokensService } from './tokens.service.js';

/** Authentication and roles for every route of the app (a global guard), and the token routes. */
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthController, ProfileGrantsController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        TokensService,
        Authenticator,
        BootstrapToken,
        ProfileGrantsService,
        PermissionGate,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
