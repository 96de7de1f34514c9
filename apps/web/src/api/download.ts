/**
 * Hands a fetched file to the browser as a download (exports and reports come from fetch, so a refusal
 * can be shown in the page instead of navigating to a problem document).
 */

/** The file name from Content-Disposition (RFC 6266 `filename*` first), else the fallback. */
export function fileNameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through to the plain name */
    }
  }
  return /filename="([^"]+)"/i.exec(cd)?.[1] ?? fallback;
}

/** Saves an OK response's body under its file name; returns the name. */
export async function saveResponseAsDownload(res: Response, fallback: string): Promise<string> {
  const blob = await res.blob();
  const name = fileNameFrom(res, fallback);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
