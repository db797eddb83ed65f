/**
 * The broadcast payload on the wire: what a drone's loudspeaker plays and what its display shows
 * (a checkpoint broadcast: a spoken call to declare and the declaration form's QR code). Used in
 * the mission (`broadcast`, and `holdS`/`play` on its waypoints), in commands (`play`,
 * `stopPlaying`, `volume`, `show`, `clearDisplay`) and in telemetry (`payload`).
 */
import { z } from 'zod';

/**
 * What the speaker plays: a text the payload speaks (text to speech, Mandarin or English), or an
 * audio file the payload fetches and plays (an uploaded recording).
 */
export const broadcastMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    /** Spoken as written; at most 2000 characters (about 8 min of Mandarin). */
    text: z.string().trim().min(1, 'the text to speak is empty').max(2000),
    /** Voice: `zh` Mandarin, `en` English. */
    lang: z.enum(['zh', 'en']),
  }),
  z.object({
    kind: z.literal('audio'),
    /** Where the payload fetches the file (http/https), before take-off. */
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL of the audio file' }),
    /** Length of one playing, s. */
    durationS: z.number().positive().max(600),
  }),
]);
export type BroadcastMessage = z.infer<typeof broadcastMessageSchema>;

/** Speaker volume, % of the payload's full level (the acoustic model's level at 1 m is at 100). */
export const volumePctSchema = z.number().int().min(0).max(100);

/**
 * The QR code's payload (the declaration form's URL). At most 300 characters: a code read from a
 * car 10–20 m away has to stay at a low QR version (big modules), which holds a short URL only.
 */
export const qrPayloadSchema = z.string().trim().min(1, 'the QR payload is empty').max(300);

/** `broadcast` of a mission: the message played at the waypoints marked `play`, and the QR shown from take-off to landing. */
export const missionBroadcastSchema = z.object({
  message: broadcastMessageSchema,
  /** Default 100. */
  volumePct: volumePctSchema.optional(),
  qr: qrPayloadSchema.optional(),
});
export type MissionBroadcast = z.infer<typeof missionBroadcastSchema>;

/** `payload` of telemetry: what the speaker and the display do now. */
export const payloadStateSchema = z.object({
  /** What is playing now (the text, or the audio file's URL); absent when silent. */
  playing: z.string().max(2000).optional(),
  volumePct: volumePctSchema,
  /** The QR payload on the display; absent when blank. */
  showing: z.string().max(300).optional(),
});
export type PayloadState = z.infer<typeof payloadStateSchema>;
