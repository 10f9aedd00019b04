import { Global, Module } from '@nestjs/common';
import { EventDispatcher } from './event-dispatcher';

/** One dispatcher for the whole application (global, like the database): every feature publishes to and subscribes on it. */
@Global()
@Module({ providers: [EventDispatcher], exports: [EventDispatcher] })
export class EventsModule {}
