import type { NavigateToPoseFeedback, NavigateToPoseGoal } from './messages.js';
import { planarPose, rosTime, seconds } from './messages.js';
import type { NavActionClient, NavGoalHandle } from './ros-api.js';

/** Where a goal goes: a pose on the current map (`frame_id` map), metres and radians. */
export interface NavTarget {
  x: number;
  y: number;
  theta: number;
  /** What the goal is for, in error messages (`node r-101`, `the car of lift A`). */
  label: string;
}

/** Nav2's feedback for the goal under way, for the robot's state. */
export interface NavProgress {
  distanceRemainingM: number;
  etaS: number;
  recoveries: number;
}

/**
 * Drives through Nav2's `navigate_to_pose` action (nav2_msgs/action/NavigateToPose): one goal
 * at a time, cancelled on abort, cancelled on pause and sent again on resume. A goal Nav2
 * rejects, aborts or that someone else cancels rejects with an Error naming the target and, from
 * Iron on, Nav2's `error_code` and `error_msg`.
 */
export class Nav2Navigator {
  private current?: { handle: NavGoalHandle };
  private paused = false;
  private resumed?: () => void;
  private serverChecked = false;
  private progressToldAt = -Infinity;

  /** Feedback of the goal under way; undefined when none. */
  progress?: NavProgress;

  constructor(
    private readonly client: NavActionClient,
    private readonly options: { now: () => number; serverTimeoutMs?: number; onProgress?: () => void; progressEveryMs?: number },
  ) {}

  /** Resolves once Nav2 reports the goal succeeded; rejects with the signal's reason when aborted. */
  async navigate(target: NavTarget, signal: AbortSignal): Promise<void> {
    if (!this.serverChecked) {
      if (!(await this.client.waitForServer(this.options.serverTimeoutMs ?? 10_000))) throw new Error("Nav2's navigate_to_pose action server is not available");
      this.serverChecked = true;
    }
    for (;;) {
      if (signal.aborted) throw signal.reason;
      // Paused between goals or after one was cancelled for the pause: wait for resume, or a cancel.
      if (this.paused)
        await new Promise<void>((resolve) => {
          this.resumed = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      if (signal.aborted) throw signal.reason;
      const outcome = await this.once(target, signal);
      if (outcome === 'done') return;
      // 'paused': the goal was cancelled for a pause; send it again once resumed.
    }
  }

  /** Cancels the goal under way (VDA startPause); {@link resume} sends it again. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.current) void this.current.handle.cancelGoal().catch(() => {});
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumed?.();
    this.resumed = undefined;
  }

  private async once(target: NavTarget, signal: AbortSignal): Promise<'done' | 'paused'> {
    const goal: NavigateToPoseGoal = {
      pose: { header: { stamp: rosTime(this.options.now()), frame_id: 'map' }, pose: planarPose(target.x, target.y, target.theta) },
      behavior_tree: '',
    };
    const handle = await this.client.sendGoal(goal, (feedback: NavigateToPoseFeedback) => {
      const first = this.progress === undefined;
      this.progress = { distanceRemainingM: feedback.distance_remaining, etaS: seconds(feedback.estimated_time_remaining), recoveries: feedback.number_of_recoveries };
      // Nav2 sends feedback at its behaviour tree's rate (up to 100 Hz): the first of a goal is news, then one every progressEveryMs.
      const now = this.options.now();
      if (first || now - this.progressToldAt >= (this.options.progressEveryMs ?? 5000)) {
        this.progressToldAt = now;
        this.options.onProgress?.();
      }
    });
    if (!handle.accepted) throw new Error(`Nav2 rejected the goal to ${target.label}`);
    this.current = { handle };
    const cancel = () => void handle.cancelGoal().catch(() => {});
    signal.addEventListener('abort', cancel, { once: true });
    if (this.paused || signal.aborted) cancel();
    try {
      const result = await handle.getResult();
      if (signal.aborted) throw signal.reason;
      if (handle.isSucceeded()) return 'done';
      if (handle.isCanceled() && this.paused) return 'paused';
      const detail = result?.error_code ? ` (error_code ${result.error_code}${result.error_msg ? `: ${result.error_msg}` : ''})` : '';
      if (handle.isAborted()) throw new Error(`Nav2 aborted the goal to ${target.label}${detail}`);
      throw new Error(`Nav2 ended the goal to ${target.label} with status ${handle.status}${detail}`);
    } finally {
      signal.removeEventListener('abort', cancel);
      this.current = undefined;
      this.progress = undefined;
    }
  }
}
