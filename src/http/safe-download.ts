/**
 * Issue 11 (defect 14): a file someone uploaded is served back as a download, never rendered by the browser: the type
 * comes from an allow-list by the file's extension (not from what the uploader claimed), and the response says
 * attachment, nosniff and a sandboxing policy.
 */
const SAFE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  wps: 'application/vnd.ms-works',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  txt: 'text/plain; charset=utf-8',
  zip: 'application/zip',
};
const FALLBACK = 'application/octet-stream';

/** The type a stored file is served with, by the extension of its name; anything else is octet-stream. */
export function safeDownloadType(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  return (m && SAFE_TYPES[m[1].toLowerCase()]) || FALLBACK;
}

/** The headers of a download of an uploaded file, beside its type and disposition. */
export const SAFE_DOWNLOAD_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cache-Control': 'private, no-store',
};

/** `attachment` with an ASCII fallback name (the id and the safe extension) and the real name in UTF-8. */
export function attachmentDisposition(fallbackStem: string, name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  const ext = m && SAFE_TYPES[m[1].toLowerCase()] ? `.${m[1].toLowerCase()}` : '';
  return `attachment; filename="${fallbackStem.replace(/[^A-Za-z0-9_-]/g, '')}${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
