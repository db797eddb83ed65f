import { html, nothing } from 'lit';
import QRCode from 'qrcode';

/**
 * A QR payload drawn as its code (the qrcode library, error correction M: 15 % of the code may be
 * lost), so the operator sees what the drivers will scan from the drone's display; the modules
 * are also in `data-modules` (row by row, 1 dark) for a check. Nothing while `text` is empty or
 * too long for a code.
 */
export function qrFigure(text: string, caption: string) {
  const payload = text.trim();
  if (!payload) return nothing;
  let code: ReturnType<typeof QRCode.create>;
  try {
    code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  } catch {
    return nothing;
  }
  const n = code.modules.size;
  const bits = Array.from(code.modules.data, (b) => (b ? '1' : '0')).join('');
  let d = '';
  // A quiet zone of 4 modules around the code, as the QR standard asks.
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') d += `M${(i % n) + 4},${Math.floor(i / n) + 4}h1v1h-1z`;
  return html`<figure style="margin:0;display:grid;gap:4px;justify-items:start">
    <figcaption class="muted">${caption}</figcaption>
    <svg data-testid="bc-qr-code" data-size=${n} data-modules=${bits} viewBox="0 0 ${n + 8} ${n + 8}" style="width:220px;height:220px;background:#fff;border:2px solid var(--ink);border-radius:8px" shape-rendering="crispEdges" role="img" aria-label=${payload}>
      <path d=${d} fill="#000"></path>
    </svg>
  </figure>`;
}
