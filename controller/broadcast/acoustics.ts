/**
 * How far a drone's loudspeaker is understood over a queue of cars: the model behind the
 * broadcast planner's stop spacing. Every figure is a default the operator can change.
 *
 * - Level: the loudspeaker's sound pressure level at 1 m on its axis, dB SPL. Loudspeaker payloads
 *   for drones are sold at about 100 dB (small ones) to 130 dB at 1 m; 120 dB is a mid-size one.
 * - Spreading: spherical, −20·log10(r / 1 m) (a point source in free field; the ground reflection
 *   and the speaker's directivity are left out, which errs short for a car below the drone).
 * - Air absorption: 0.005 dB/m, ISO 9613-1 at 1 kHz, 20 °C, 70 % relative humidity (4.9 dB/km),
 *   the band that carries speech.
 * - Noise at the driver: 65 dB(A), a queue of idling and creeping cars heard through an open
 *   window (roadside levels of slow urban traffic are 60–70 dB(A)).
 * - Understood: the speech at least 10 dB above that noise (at +10 dB signal-to-noise speech is
 *   almost fully intelligible: ANSI S3.5 speech intelligibility index, ISO 9921).
 */
export interface AcousticModel {
  /** Loudspeaker level at 1 m, dB SPL. */
  levelAt1mDb: number;
  /** Air absorption, dB per metre. */
  absorptionDbPerM: number;
  /** Noise where the listener is, dB(A). */
  noiseDb: number;
  /** Margin of the speech over the noise for it to be understood, dB. */
  snrDb: number;
}

/** The defaults above. */
export const CHECKPOINT_ACOUSTICS: AcousticModel = { levelAt1mDb: 120, absorptionDbPerM: 0.005, noiseDb: 65, snrDb: 10 };

/** Speech level at `distanceM` (slant distance from the speaker, ≥ 1 m), dB SPL. */
export function levelAtDb(model: AcousticModel, distanceM: number): number {
  const r = Math.max(1, distanceM);
  return model.levelAt1mDb - 20 * Math.log10(r) - model.absorptionDbPerM * r;
}

/**
 * The slant distance, m, up to which the message is understood: where {@link levelAtDb} falls to
 * noise + margin (the level falls monotonically, so a bisection finds it). 0 when not even at 1 m.
 */
export function hearingRangeM(model: AcousticModel): number {
  const needed = model.noiseDb + model.snrDb;
  if (levelAtDb(model, 1) < needed) return 0;
  let lo = 1;
  let hi = 100_000;
  if (levelAtDb(model, hi) >= needed) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (levelAtDb(model, mid) >= needed) lo = mid;
    else hi = mid;
  }
  return lo;
}
