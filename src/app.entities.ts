import { CardInstance } from './chat/card-instance.entity';
import { InboxEvent } from './chat/inbox/inbox-event.entity';
import { CallbackSignature } from './chat/inbox/callback-signature.entity';
import { InboxFailure } from './chat/inbox/inbox-failure.entity';
import { ChatProposal } from './chat/chat-proposal.entity';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { RateWindow } from './outbox/rate-window.entity';
import { HolidayOverride } from './calendar/holiday-override.entity';
import { Item } from './cases/item.entity';
import { ItemEvent } from './cases/item-event.entity';
import { ItemRequest } from './cases/item-request.entity';
import { ItemUnit } from './cases/item-unit.entity';
import { NumberSequence } from './cases/number-sequence.entity';
import { Report } from './cases/report.entity';
import { ApiToken } from './org/api-token.entity';
import { ConsoleSession, LoginCode } from './auth/console-session.entity';
import { ChatGroup } from './org/chat-group.entity';
import { OrgChange } from './org/org-change.entity';
import { Person } from './org/person.entity';
import { PersonIdentity } from './org/person-identity.entity';
import { RoleGrant } from './org/role-grant.entity';
import { Unit } from './org/unit.entity';
import { Setting } from './settings/setting.entity';
import { Reminder } from './reminders/reminder.entity';
import { ReminderPolicyRow } from './reminders/reminder-policy.entity';
import { ScoreLineRow, ScoreTableRow } from './scoring/score-line.entity';
import { Clue, ClueEvent, DocumentFile } from './accountability/clue.entity';
import { Bulletin, BulletinChart, BulletinEvent } from './bulletins/bulletin.entity';

/**
 * Every feature's entities, listed in the app layer (issue 12): the database folder sits below the features and is
 * handed this list (DatabaseModule.forRoot, app.data-source.ts) instead of importing them.
 */
export const ENTITIES = [
  Unit,
  Person,
  PersonIdentity,
  RoleGrant,
  ChatGroup,
  ApiToken,
  OrgChange,
  ConsoleSession,
  LoginCode,
  Item,
  ItemUnit,
  ItemEvent,
  Report,
  ItemRequest,
  NumberSequence,
  OutboxMessage,
  InboxEvent,
  InboxFailure,
  ChatProposal,
  HolidayOverride,
  Setting,
  CardInstance,
  Reminder,
  ReminderPolicyRow,
  ScoreLineRow,
  ScoreTableRow,
  Clue,
  ClueEvent,
  DocumentFile,
  Bulletin,
  BulletinEvent,
  BulletinChart,
  RateWindow,
  CallbackSignature,
];
