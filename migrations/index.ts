import { PromptRegistry1796500000000 } from './1796500000000-PromptRegistry.js';
import { AddHistoryActionIndex1795440000000 } from './1795440000000-AddHistoryActionIndex.js';
import { AgentRole1795900000000 } from './1795900000000-AgentRole.js';
import { AgentMessages1795600000000 } from './1795600000000-AgentMessages.js';
import { ApiTokens1764100000000 } from './1764100000000-ApiTokens.js';
import { ConfigChangeNotify1795500000000 } from './1795500000000-ConfigChangeNotify.js';
import { DomainRegistry1795800000000 } from './1795800000000-DomainRegistry.js';
import { DomainRegistryAudit1796200000000 } from './1796200000000-DomainRegistryAudit.js';
import { DomainSchemaKeyOrder1796000000000 } from './1796000000000-DomainSchemaKeyOrder.js';
import { ProfileDetailFunction1796100000000 } from './1796100000000-ProfileDetailFunction.js';
import { TokenChangeNotify1796300000000 } from './1796300000000-TokenChangeNotify.js';
import { HistoryProfileDomainIndex1796400000000 } from './1796400000000-HistoryProfileDomainIndex.js';
import { HistoryItem1796600000000 } from './1796600000000-HistoryItem.js';
import { ChangeAuthor1796700000000 } from './1796700000000-ChangeAuthor.js';
import { InstanceRegistry1796800000000 } from './1796800000000-InstanceRegistry.js';
import { SessionPins1796900000000 } from './1796900000000-SessionPins.js';
import { LlmProbes1797000000000 } from './1797000000000-LlmProbes.js';
import { ProfileRollouts1797100000000 } from './1797100000000-ProfileRollouts.js';
import { Presets1797200000000 } from './1797200000000-Presets.js';
import { Schedules1797300000000 } from './1797300000000-Schedules.js';
import { ProfileGrants1797400000000 } from './1797400000000-ProfileGrants.js';
import { ChangeRequests1797500000000 } from './1797500000000-ChangeRequests.js';
import { InitialSchema1763900000000 } from './1763900000000-InitialSchema.js';
import { ScheduleNotify1797600000000 } from './1797600000000-ScheduleNotify.js';
import { ProfileParents1797700000000 } from './1797700000000-ProfileParents.js';
import { ProfileInheritance1797800000000 } from './1797800000000-ProfileInheritance.js';
import { InheritedItems1797900000000 } from './1797900000000-InheritedItems.js';
import { ProfileDetailPlpgsql1798000000000 } from './1798000000000-ProfileDetailPlpgsql.js';
import { NotifyExternalChanges1795700000000 } from './1795700000000-NotifyExternalChanges.js';

/** Every migration, oldest first. Listed explicitly so the same list serves the CLI, the app and the tests. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  ApiTokens1764100000000,
  AddHistoryActionIndex1795440000000,
  ConfigChangeNotify1795500000000,
  AgentMessages1795600000000,
  NotifyExternalChanges1795700000000,
  DomainRegistry1795800000000,
  AgentRole1795900000000,
  DomainSchemaKeyOrder1796000000000,
  ProfileDetailFunction1796100000000,
  DomainRegistryAudit1796200000000,
  TokenChangeNotify1796300000000,
  HistoryProfileDomainIndex1796400000000,
  PromptRegistry1796500000000,
  HistoryItem1796600000000,
  ChangeAuthor1796700000000,
  InstanceRegistry1796800000000,
  SessionPins1796900000000,
  LlmProbes1797000000000,
  ProfileRollouts1797100000000,
  Presets1797200000000,
  Schedules1797300000000,
  ProfileGrants1797400000000,
  ChangeRequests1797500000000,
  ScheduleNotify1797600000000,
  ProfileParents1797700000000,
  ProfileInheritance1797800000000,
  InheritedItems1797900000000,
  ProfileDetailPlpgsql1798000000000,
];
