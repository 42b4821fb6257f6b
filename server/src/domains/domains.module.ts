import { Module } from '@nestjs/common';
import { DomainValuesService } from './domain-values.service.js';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';
import { DomainSecrets } from './secrets/domain-secrets.js';

@Module({
  controllers: [DomainsController],
  providers: [DomainsService, DomainValuesService, DomainSecrets],
  exports: [DomainsService, DomainValuesService],
})
export class DomainsModule {}
