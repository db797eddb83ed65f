import { createHash } from 'node:crypto';
import { parseBuffer } from 'music-metadata';

/** The recordings a drone's payload plays: MP3, WAV and Ogg (Vorbis or Opus), as their MIME types. */
export const AUDIO_TYPES = ['audio/mpeg', 'audio/wav', 'audio/ogg'] as const;
export type AudioType = (typeof AUDIO_TYPES)[number];
/** Other names browsers and tools give the same formats. */
const ALIASES: Record<string, AudioType> = { 'audio/mp3': 'audio/mpeg', 'audio/x-wav': 'audio/wav', 'audio/wave': 'audio/wav', 'audio/vnd.wave': 'audio/wav' };
/** The container music-metadata reads from each type (its `format.container`, lower case, starts with). */
const CONTAINER: Record<AudioType, string> = { 'audio/mpeg': 'mpeg', 'audio/wav': 'wave', 'audio/ogg': 'ogg' };

/** One file at most this big, bytes: a 10 min message as a 128 kbit/s MP3 (9.6 MB). */
export const MAX_AUDIO_BYTES = 10 * 1024 * 1024;
/** One playing at most this long, s (the broadcast message's limit). */
export const MAX_AUDIO_S = 600;

export interface StoredAudio {
  /** SHA-256 of the bytes, hex: the file's name in URLs (unguessable without the file). */
  id: string;
  type: AudioType;
  bytes: Buffer;
  /** Length of one playing, s, read from the file. */
  durationS: number;
}

/** The MIME type of a `Content-Type` header among {@link AUDIO_TYPES}, or undefined. */
export function audioType(contentType: string | undefined): AudioType | undefined {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (AUDIO_TYPES as readonly string[]).includes(t) ? (t as AudioType) : ALIASES[t];
}

/**
 * The operators' uploaded recordings, kept in memory (as broadcasts are) up to `maxTotalBytes`,
 * the oldest dropped first. A file is taken only when music-metadata reads it as the type it is
 * sent as and finds its length (0–{@link MAX_AUDIO_S} s).
 */
export class AudioStore {
  private readonly files = new Map<string, StoredAudio>();

  constructor(private readonly maxTotalBytes = 100 * 1024 * 1024) {}

  /** Stores `bytes` of `type`; `{ok: false, message}` says why a file is not taken. */
  async add(bytes: Buffer, type: AudioType): Promise<{ ok: true; audio: StoredAudio } | { ok: false; message: string }> {
    if (bytes.length === 0) return { ok: false, message: 'the file is empty' };
    let container: string;
    let durationS: number | undefined;
    try {
      const meta = await parseBuffer(bytes, { mimeType: type, size: bytes.length }, { duration: true, skipCovers: true });
      container = (meta.format.container ?? '').toLowerCase();
      durationS = meta.format.duration;
    } catch (error) {
      return { ok: false, message: `the file cannot be read as ${type}: ${(error as Error).message}` };
    }
    if (!container.startsWith(CONTAINER[type])) return { ok: false, message: `the file is ${container || 'not audio'}, not ${type}` };
    if (durationS === undefined || !Number.isFinite(durationS) || durationS <= 0) return { ok: false, message: 'the length of the recording cannot be read from the file' };
    if (durationS > MAX_AUDIO_S) return { ok: false, message: `the recording lasts ${Math.round(durationS)} s, more than ${MAX_AUDIO_S} s` };
    const id = createHash('sha256').update(bytes).digest('hex');
    const audio: StoredAudio = { id, type, bytes, durationS: Math.round(durationS * 100) / 100 };
    this.files.delete(id);
    this.files.set(id, audio);
    let total = [...this.files.values()].reduce((n, f) => n + f.bytes.length, 0);
    for (const [old, f] of this.files) {
      if (total <= this.maxTotalBytes || old === id) break;
      this.files.delete(old);
      total -= f.bytes.length;
    }
    return { ok: true, audio };
  }

  get(id: string): StoredAudio | undefined {
    return this.files.get(id);
  }
}
