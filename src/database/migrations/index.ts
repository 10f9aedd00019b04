import { CoreSchema1763877600000 } from './1763877600000-CoreSchema';

/** In order. A new migration is added here and never edited once it has landed. */
export const MIGRATIONS = [CoreSchema1763877600000];
