import { CoreSchema1763877600000 } from './1763877600000-CoreSchema';
import { BotSchema1763964000000 } from './1763964000000-BotSchema';
import { WeComSchema1764050400000 } from './1764050400000-WeComSchema';
import { ReminderSchema1764136800000 } from './1764136800000-ReminderSchema';
import { PolicySchema1764223200000 } from './1764223200000-PolicySchema';
import { RateWindowSchema1764309600000 } from './1764309600000-RateWindowSchema';
import { ScaleSchema1764396000000 } from './1764396000000-ScaleSchema';
import { ScoringSchema1764482400000 } from './1764482400000-ScoringSchema';
import { AccountabilitySchema1764568800000 } from './1764568800000-AccountabilitySchema';
import { BulletinSchema1764655200000 } from './1764655200000-BulletinSchema';
import { CallbackSignatureSchema1764741600000 } from './1764741600000-CallbackSignatureSchema';
import { BulletinTrustSchema1764742000000 } from './1764742000000-BulletinTrustSchema';
import { InboxFailureSchema1764745200000 } from './1764745200000-InboxFailureSchema';
import { AnsweredAtSchema1764800100000 } from './1764800100000-AnsweredAtSchema';
import { PolicyLayersSchema1764800200000 } from './1764800200000-PolicyLayersSchema';
import { OwnerOfficeSchema1764800300000 } from './1764800300000-OwnerOfficeSchema';
import { ChatProposalSchema1764900200000 } from './1764900200000-ChatProposalSchema';
import { ConsoleSessionSchema1764901000000 } from './1764901000000-ConsoleSessionSchema';
import { OrgChangeSchema1796194501580 } from './1796194501580-OrgChangeSchema';
import { LedgerIndexSchema1796206644666 } from './1796206644666-LedgerIndexSchema';
import { ReminderIndexSchema1796208895182 } from './1796208895182-ReminderIndexSchema';
import { BulletinIndexSchema1796232000000 } from './1796232000000-BulletinIndexSchema';
import { DispatchIndexSchema1796240000000 } from './1796240000000-DispatchIndexSchema';
import { UnsetInstantSchema1796300000000 } from './1796300000000-UnsetInstantSchema';
import { ReminderKeyByItemSchema1796400000000 } from './1796400000000-ReminderKeyByItemSchema';

/** In order. A new migration is added here and never edited once it has landed. */
export const MIGRATIONS = [
  CoreSchema1763877600000,
  BotSchema1763964000000,
  WeComSchema1764050400000,
  ReminderSchema1764136800000,
  PolicySchema1764223200000,
  RateWindowSchema1764309600000,
  ScaleSchema1764396000000,
  ScoringSchema1764482400000,
  AccountabilitySchema1764568800000,
  BulletinSchema1764655200000,
  CallbackSignatureSchema1764741600000,
  BulletinTrustSchema1764742000000,
  InboxFailureSchema1764745200000,
  AnsweredAtSchema1764800100000,
  PolicyLayersSchema1764800200000,
  OwnerOfficeSchema1764800300000,
  ChatProposalSchema1764900200000,
  ConsoleSessionSchema1764901000000,
  OrgChangeSchema1796194501580,
  LedgerIndexSchema1796206644666,
  ReminderIndexSchema1796208895182,
  BulletinIndexSchema1796232000000,
  DispatchIndexSchema1796240000000,
  UnsetInstantSchema1796300000000,
  ReminderKeyByItemSchema1796400000000,
];
