import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CHAT_PLATFORMS, ChatPlatform } from './chat-platform';
import { ChatReceiver } from './receiver';

/** Opens every connection receiver of every enabled platform at start and closes it at shutdown. */
@Injectable()
export class ChatReceiverHost implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CHAT_PLATFORMS) private readonly platforms: ChatPlatform[]) {}

  get receivers(): ChatReceiver[] {
    return this.platforms.flatMap((p) => [...p.receivers]);
  }

  onApplicationBootstrap(): void {
    for (const r of this.receivers) r.start?.();
  }

  onApplicationShutdown(): void {
    for (const r of this.receivers) r.stop?.();
  }
}
