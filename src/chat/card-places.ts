import { Injectable } from '@nestjs/common';
import type { CardPlace } from './card-view.service';

/** Where a card sits and what it is about: its item's number, or the subject of a decision card (XS…, TB…). */
export interface KnownCard {
  place: CardPlace;
  number: string | null;
  inGroup: boolean;
}

/**
 * Issue 17: cards by outTrackId, as their card_instance rows say — rows written once and never changed, so what this
 * process wrote (ChatDeliverer, before the card is sent) or read once (BotRouter, on a click) stays true. A click on a
 * card this process delivered then reads no card row. Bounded: emptied when it reaches MAX entries (then read again).
 */
@Injectable()
export class CardPlaces {
  static readonly MAX = 50_000;
  private readonly known = new Map<string, KnownCard>();

  get(outTrackId: string): KnownCard | undefined {
    return this.known.get(outTrackId);
  }

  remember(outTrackId: string, card: KnownCard): void {
    if (this.known.size >= CardPlaces.MAX) this.known.clear();
    this.known.set(outTrackId, card);
  }
}
