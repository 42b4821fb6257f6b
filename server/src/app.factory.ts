import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import compress from '@fastify/compress';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { registerAccessLog } from './common/logging/access-log.js';
import { AppModule } from './app.module.js';
import { type AuthConfig, loadAuthConfig } from './auth/auth.config.js';
import { registerWriteRateLimit } from './auth/write-rate-limit.js';
import { defaultConsoleDir, registerAdminConsole } from './common/http/admin-console.js';
import { documentAccess } from './common/http/openapi-access.js';
import { readPackageInfo } from './common/config/package-info.js';
import { TransactionGate } from './common/database/transaction-gate.js';
import { applyRouteBodyLimit } from './common/http/body-limit.js';
import { sendFrameworkError, MAX_PARAM_LENGTH } from './common/http/framework-errors.js';
import { registerJsonBodyParser } from './common/http/json-body.js';
import { registerBackupBodyParser } from './backup/backup-body.js';
import { registerSecurityHeaders, securityHeaders } from './common/http/security-headers.js';
import { registerResolvedFastPath } from './reload/resolved-fast-path.js';
import { openResolvedFrontDoor } from './reload/resolved-front-door.js';
import { ResolvedConfigService } from './reload/resolved-config.service.js';
import { Authenticator } from './auth/authenticator.js';
import { MetricsService } from './metrics/metrics.service.js';
import { enterRequestContext, requestIdOf } from './common/http/request-context.js';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter.js';
import { createValidationPipe } from './common/validation/validation-pipe.js';

export interface CreateAppOptions {
  databaseUrl: string;
  /** The connection that LISTENs for changes; defaults to databaseUrl. */
  listenDatabaseUrl?: string;
  bodyLimitBytes?: number;
  /** Build the module graph without connecting to anything (OpenAPI export). */
  preview?: boolean;
  logger?: LoggerService | LogLevel[] | false;
  /** Defaults to the SWITCHBOARD_* variables of the environment. */
  auth?: AuthConfig;
  /** Clients reach the service over HTTPS (SWITCHBOARD_HTTPS): upgrade-insecure-requests and HSTS are sent. */
  https?: boolean;
  /** Origins whose browser pages may call the API (CORS). None by default. */
  corsOrigins?: string[];
  /** The built admin console served at `/`; defaults to dist/admin-console/browser. null: none. */
  consoleDir?: string | null;
  /** One line per request to this logger (serve.ts gives it; tests and tools go without). */
  accessLog?: PinoLogger;
}

/** Headers a browser may read from a cross-origin response. */
const EXPOSED_HEADERS = ['etag', 'link', 'location', 'retry-after', 'x-request-id', 'x-total-count', 'x-session-id', 'x-endpoints-source', 'x-config-stale', 'x-rollout'];

/** The one way the app is assembled: by main.ts, the tests and the OpenAPI export alike. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const auth = options.auth ?? loadAuthConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 2 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => requestIdOf(request.headers),
    // Long enough for any name a route takes; a longer parameter is refused by frameworkErrors.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: sendFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ databaseUrl: options.databaseUrl, listenDatabaseUrl: options.listenDatabaseUrl, auth }), adapter, {
    preview: options.preview,
    logger: options.logger,
    abortOnError: false,
    // Fastify's own JSON parser, wrapped by registerJsonBodyParser; besides JSON, only a restore's gzip (registerBackupBodyParser).
    bodyParser: false,
  });

  const security = securityHeaders({ https: options.https ?? false });
  registerSecurityHeaders(app.getHttpAdapter().getInstance(), security);
  // Responses of 1 KiB and more, br or gzip as the client accepts (the stream is never compressed).
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
  await registerWriteRateLimit(app, auth);
  if (options.corsOrigins?.length) {
    app.enableCors({ origin: options.corsOrigins, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  }
  const gate = options.preview ? undefined : app.get(TransactionGate);
  const problems = new ProblemDetailsFilter({ poolSaturated: () => gate?.poolSaturated() ?? false });
  app.useGlobalFilters(problems);
  app.useGlobalPipes(createValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  registerBackupBodyParser(fastify);
  fastify.addHook('onRoute', applyRouteBodyLimit);
  fastify.addHook('onRequest', (request, _reply, done) => {
    enterRequestContext({ requestId: String(request.id) });
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  if (options.accessLog) registerAccessLog(fastify, options.accessLog);
  if (!options.preview) {
    registerResolvedFastPath(fastify, app, problems);
    openResolvedFrontDoor(app.getHttpServer(), {
      authenticator: app.get(Authenticator),
      resolved: app.get(ResolvedConfigService),
      metrics: app.get(MetricsService),
      securityHeaders: security,
    });
  }

  if (!options.preview) {
    const consoleDir = options.consoleDir === undefined ? defaultConsoleDir() : options.consoleDir;
    const logger = new Logger('AdminConsole');
    if (consoleDir && (await registerAdminConsole(app, consoleDir))) {
      logger.log(`Serving the admin console from ${consoleDir} at /`);
    } else if (consoleDir !== null) {
      logger.log(`The admin console is not built (no ${consoleDir}/index.html): run npm run console:build to serve it at /`);
    }
  }

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const { version } = readPackageInfo();
  const config = new DocumentBuilder()
    .setTitle('Switchboard')
    .setDescription(
      'Configuration service for LLM agents: named profiles (AI infrastructure, Genie spaces, MLflow, prompts), ' +
        'validated, audited and hot-reloaded. Errors are RFC 9457 application/problem+json.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token (see the README for the first one)' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  return documentAccess(document);
}
