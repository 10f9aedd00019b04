/**
 * Issue 11 (defect 14): text that people typed (titles, unit names, reasons) goes into .xlsx exports. A cell that
 * begins with = + - @ (or a tab or carriage return) is taken for a formula by a spreadsheet once it is edited, pasted
 * or saved as CSV ("formula injection", OWASP): such text is written with a leading apostrophe, as Excel itself does.
 * Every export writes its cells through this one function.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell value as given, with text made safe; numbers, dates and blanks pass unchanged. */
export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' ? safeCellText(value) : value;
}
