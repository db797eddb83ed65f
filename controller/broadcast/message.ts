/**
 * What is said when the operator gives no text: the call to declare before the checkpoint, in
 * Mandarin and English.
 */
export const DECLARATION_CALL =
  '请扫描无人机上的二维码，填写健康申报，到达检查站时出示申报结果即可快速通行。 Please scan the QR code on the drone and fill in your health declaration before you reach the checkpoint.';

/**
 * Seconds a spoken text takes: Mandarin read aloud at about 4 characters a second (broadcast
 * reading speed, 240–260 characters a minute), English at 2.5 words a second (150 words a
 * minute). CJK characters are counted as characters, the rest as words.
 */
export function speechSeconds(text: string): number {
  const cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]/g) ?? []).length;
  const words = text
    .replace(/[\u3400-\u9fff\uf900-\ufaff]/g, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return cjk / 4 + words / 2.5;
}
