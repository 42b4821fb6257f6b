import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { AppModule } from './app.module.js';
import { readPackageInfo } from './common/config/package-info.js';
import { applyRouteBodyLimit } from './common/http/body-limit.js';
import { enterRequestContext } from './common/http/request-context.js';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter.js';
import { createValidationPipe } from './common/validation/validation-pipe.js';

export interface CreateAppOptions {
  databaseUrl: string;
  bodyLimitBytes?: number;
  /** Build the module graph without connecting to anything (OpenAPI export). */
  preview?: boolean;
  logger?: LoggerService | LogLevel[] | false;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The one way the app is assembled: by main.ts, the tests and the OpenAPI export alike. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 2 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    preview: options.preview,
    logger: options.logger,
    abortOnError: false,
  });

  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', applyRouteBodyLimit);
  fastify.addHook('onRequest', (request, _reply, done) => {
    enterRequestContext({ requestId: String(request.id) });
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
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
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
}
