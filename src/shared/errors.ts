/**
 * Domain errors: a stable code for programs and a Chinese sentence for people.
 * Rule code returns or throws these; the HTTP filter (and later the chat router) maps `kind` to a response once.
 */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unsupported';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) => new DomainError(code, message, 'invalid', details);
export const forbidden = (code: string, message: string) => new DomainError(code, message, 'forbidden');
export const notFound = (code: string, message: string) => new DomainError(code, message, 'not_found');
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new DomainError(code, message, 'conflict', details);
export const tooLarge = (code: string, message: string, details?: Record<string, unknown>) => new DomainError(code, message, 'too_large', details);
