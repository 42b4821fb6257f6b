import { Module } from '@nestjs/common';
import { DomainValuesService } from './domain-values.service.js';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';

@Module({
  controllers: [DomainsController],
  providers: [DomainsService, DomainValuesService],
  exports: [DomainsService, DomainValuesService],
})
export class DomainsModule {}
