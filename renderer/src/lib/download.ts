/** Saves a blob as a file through a temporary link (no navigation). */
function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename.replace(/[\\/:*?"<>|]+/g, '_') || 'download';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a base64 payload from the machine side as a file through a temporary blob link (no navigation). */
export function saveBase64(filename: string, contentType: string, base64: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  saveBlob(filename, new Blob([bytes], { type: contentType }));
}

/** Saves text made in the renderer (e.g. a CSV export) as a UTF-8 file. */
export function saveText(filename: string, contentType: string, text: string): void {
  saveBlob(filename, new Blob([text], { type: `${contentType};charset=utf-8` }));
}
