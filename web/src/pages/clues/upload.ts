import { ApiError, NETWORK_MESSAGE } from '../../api';

/**
 * A document for a clue: the file itself is the request body (its type as Content-Type, its name in `?name=`), as
 * POST /api/accountability/clues/{number}/documents takes it; same-origin cookie, so the browser sends the Origin.
 */
export async function uploadDocument(number: string, file: File): Promise<{ id: number; ref: string; name: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/accountability/clues/${encodeURIComponent(number)}/documents?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE.replace('，已填写的内容仍在', '，文件未上传'));
  }
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.code ?? `HTTP.${res.status}`, body?.message ?? `上传未成功（HTTP ${res.status}），请稍后重试。`);
  return body as { id: number; ref: string; name: string };
}
